package org.vxpool.proxy.auth;

/**
 * What vxpool can log in to a backend with, once a client has authenticated as a user. Which
 * backend methods work depends on the kind: a clear-text password works for every method, an md5
 * hash only for md5, SCRAM keys only for SCRAM with the same salt.
 */
public sealed interface LoginSecret {

    /** Nothing known: only a backend that trusts the user will let vxpool in. */
    record None() implements LoginSecret {
    }

    /** The clear-text password (UTF-8 bytes as the client or pool_passwd gave them). */
    record Password(byte[] password) implements LoginSecret {
        public Password {
            password = password.clone();
        }

        @Override
        public byte[] password() {
            return password.clone();
        }

        @Override
        public String toString() {
            return "Password[***]";
        }
    }

    /** {@code md5} + md5(password + user): enough to answer md5 challenges. */
    record Md5Hash(String hash) implements LoginSecret {
        @Override
        public String toString() {
            return "Md5Hash[***]";
        }
    }

    /** A ClientKey proven by the client's SCRAM exchange, with the verifier it belongs to. */
    record ScramKeys(ScramVerifier verifier, byte[] clientKey) implements LoginSecret {
        public ScramKeys {
            clientKey = clientKey.clone();
        }

        @Override
        public byte[] clientKey() {
            return clientKey.clone();
        }

        @Override
        public String toString() {
            return "ScramKeys[***]";
        }
    }

    /** The credentials a pool_passwd entry gives by itself, before any client exchange. */
    static LoginSecret of(PoolPasswdEntry entry) {
        if (entry instanceof PoolPasswdEntry.Plain p) {
            return new Password(p.password().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (entry instanceof PoolPasswdEntry.Md5 m) {
            return new Md5Hash(m.hash());
        }
        // A verifier alone cannot answer a SCRAM challenge: that needs the client's proof.
        return new None();
    }
}
