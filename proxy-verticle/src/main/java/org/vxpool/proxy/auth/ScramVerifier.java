package org.vxpool.proxy.auth;

import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * A SCRAM-SHA-256 secret as PostgreSQL stores it in {@code pg_authid.rolpassword}:
 * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>} (base64 parts).
 */
public record ScramVerifier(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {
    public static final String PREFIX = "SCRAM-SHA-256$";
    /** PostgreSQL's scram_iterations default. */
    public static final int DEFAULT_ITERATIONS = 4096;
    /** PostgreSQL's SCRAM_DEFAULT_SALT_LEN. */
    public static final int DEFAULT_SALT_LENGTH = 16;

    public ScramVerifier {
        if (iterations < 1) {
            throw new IllegalArgumentException("SCRAM iteration count must be positive");
        }
        if (storedKey.length != ScramCrypto.KEY_LENGTH || serverKey.length != ScramCrypto.KEY_LENGTH) {
            throw new IllegalArgumentException("SCRAM keys must be 32 bytes");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /** Derives the verifier of a clear-text password; the password goes through SASLprep first. */
    public static ScramVerifier fromPassword(String password, byte[] salt, int iterations) {
        byte[] salted = ScramCrypto.saltedPassword(SaslPrep.prepareForScram(password), salt, iterations);
        return new ScramVerifier(iterations, salt,
                ScramCrypto.sha256(ScramCrypto.clientKey(salted)), ScramCrypto.serverKey(salted));
    }

    /** Parses the stored form, or empty when the text is not a well-formed SCRAM-SHA-256 secret. */
    public static Optional<ScramVerifier> parse(String text) {
        if (!text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = text.substring(PREFIX.length()).split("\\$", -1);
        if (parts.length != 2) {
            return Optional.empty();
        }
        String[] iterSalt = parts[0].split(":", -1);
        String[] keys = parts[1].split(":", -1);
        if (iterSalt.length != 2 || keys.length != 2) {
            return Optional.empty();
        }
        try {
            int iterations = Integer.parseInt(iterSalt[0]);
            Base64.Decoder b64 = Base64.getDecoder();
            byte[] salt = b64.decode(iterSalt[1]);
            byte[] stored = b64.decode(keys[0]);
            byte[] server = b64.decode(keys[1]);
            if (iterations < 1 || salt.length == 0 || stored.length != ScramCrypto.KEY_LENGTH
                    || server.length != ScramCrypto.KEY_LENGTH) {
                return Optional.empty();
            }
            return Optional.of(new ScramVerifier(iterations, salt, stored, server));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** True when {@code clientKey} is the key this verifier was derived with. */
    public boolean matchesClientKey(byte[] clientKey) {
        return ScramCrypto.same(ScramCrypto.sha256(clientKey), storedKey);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    /** The stored form, as PostgreSQL writes it. */
    public String encode() {
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + iterations + ":" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(storedKey) + ":" + b64.encodeToString(serverKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramVerifier v && v.iterations == iterations && Arrays.equals(v.salt, salt)
                && Arrays.equals(v.storedKey, storedKey) && Arrays.equals(v.serverKey, serverKey);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * iterations + Arrays.hashCode(salt)) + Arrays.hashCode(storedKey);
    }

    @Override
    public String toString() {
        // Never print key material into logs.
        return "ScramVerifier[iterations=" + iterations + "]";
    }
}
