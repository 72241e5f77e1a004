package org.vxpool.proxy.auth;

import java.util.List;

/**
 * pool_hba.conf or pool_passwd could not be loaded. Carries every problem found, each formatted
 * {@code file:line: problem}, so an operator fixes them all in one pass.
 */
public final class AuthFileException extends Exception {
    private final List<String> problems;

    public AuthFileException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
