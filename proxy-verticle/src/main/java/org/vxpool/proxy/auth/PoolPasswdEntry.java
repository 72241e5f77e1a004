package org.vxpool.proxy.auth;

/** The secret pool_passwd holds for one user. */
public sealed interface PoolPasswdEntry {

    /** A clear-text password ({@code TEXT} prefix or no prefix): every method works with it. */
    record Plain(String password) implements PoolPasswdEntry {
        @Override
        public String toString() {
            return "Plain[***]";
        }
    }

    /** {@code md5} + md5(password + user) in hex, as PostgreSQL stores md5 passwords. */
    record Md5(String hash) implements PoolPasswdEntry {
        public Md5 {
            if (!Md5Auth.isMd5Hash(hash)) {
                throw new IllegalArgumentException("not an md5 hash: md5 followed by 32 hex digits");
            }
        }

        @Override
        public String toString() {
            return "Md5[***]";
        }
    }

    /** A SCRAM-SHA-256 verifier, as found in pg_authid. */
    record Scram(ScramVerifier verifier) implements PoolPasswdEntry {
    }
}
