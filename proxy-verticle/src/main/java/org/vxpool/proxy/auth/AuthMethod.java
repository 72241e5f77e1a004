package org.vxpool.proxy.auth;

import java.util.Optional;

/** Client authentication methods vxpool implements, named as in pool_hba.conf. */
public enum AuthMethod {
    TRUST("trust"),
    REJECT("reject"),
    PASSWORD("password"),
    MD5("md5"),
    SCRAM_SHA_256("scram-sha-256");

    private final String keyword;

    AuthMethod(String keyword) {
        this.keyword = keyword;
    }

    /** The pool_hba.conf keyword. */
    public String keyword() {
        return keyword;
    }

    public static Optional<AuthMethod> fromKeyword(String keyword) {
        for (AuthMethod m : values()) {
            if (m.keyword.equals(keyword)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
