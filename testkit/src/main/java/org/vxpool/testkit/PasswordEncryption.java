package org.vxpool.testkit;

/**
 * How a test user's password is stored, which also decides the pg_hba method of that user's
 * TCP line: a user whose password is stored as MD5 cannot authenticate with scram-sha-256.
 */
public enum PasswordEncryption {
    /** SCRAM verifier; pg_hba method {@code scram-sha-256}. */
    SCRAM_SHA_256("scram-sha-256", "scram-sha-256"),
    /** MD5 hash; pg_hba method {@code md5}. */
    MD5("md5", "md5"),
    /** No password at all; pg_hba method {@code trust} for this user. */
    NONE(null, "trust");

    private final String setting;
    private final String hbaMethod;

    PasswordEncryption(String setting, String hbaMethod) {
        this.setting = setting;
        this.hbaMethod = hbaMethod;
    }

    /** Value for {@code password_encryption}, or null when no password is stored. */
    String setting() {
        return setting;
    }

    String hbaMethod() {
        return hbaMethod;
    }
}
