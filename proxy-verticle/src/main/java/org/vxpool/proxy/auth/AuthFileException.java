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

    /** The lines of an auth file; a file that cannot be read is itself the problem. Blocking. */
    static List<String> readLines(java.nio.file.Path file, String what) throws AuthFileException {
        try {
            return java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new AuthFileException(List.of(file + ": cannot read " + what + ": " + e.getMessage()));
        }
    }

    public List<String> problems() {
        return problems;
    }
}
