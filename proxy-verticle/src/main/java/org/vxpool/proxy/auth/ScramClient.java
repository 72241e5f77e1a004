package org.vxpool.proxy.auth;

import org.vxpool.proxy.protocol.SqlState;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The client side of one SCRAM-SHA-256 exchange, as vxpool runs it against a backend. It proves
 * knowledge either of the clear-text password or of a ClientKey recovered from a client's own
 * SCRAM exchange (see {@link ScramServer#clientKey()}).
 *
 * <p>A ClientKey is bound to one salt and iteration count, so it only works when the backend
 * announces the same ones as the verifier it came from; otherwise the exchange stops with a
 * message saying so instead of sending a proof that cannot match. The server signature is checked
 * with the ServerKey: derived from the password, or taken from the verifier. Only when a caller
 * has a ClientKey and no ServerKey at all ({@link ScramSecret#clientKey(byte[], int, byte[],
 * byte[])} with a null ServerKey) is the server signature accepted unchecked: the backend is then
 * not authenticated, only we are.
 *
 * <p>vxpool sends GS2 header {@code n,,} (no channel binding) and an empty {@code n=} like libpq:
 * the backend takes the user from the start-up packet.
 */
public final class ScramClient {
    private enum State { INITIAL, EXPECT_SERVER_FIRST, EXPECT_SERVER_FINAL, DONE }

    private static final String GS2_HEADER = "n,,";

    private final ScramSecret secret;
    private final String user;
    private final String saslName;
    private final String clientNonce;
    private State state = State.INITIAL;
    private String clientFirstBare;
    private byte[] expectedServerSignature;

    public ScramClient(String user, ScramSecret secret, SecureRandom random) {
        this(user, secret, "", newNonce(random));
    }

    /** For known-answer tests: a fixed SASL user name and client nonce. */
    ScramClient(String user, ScramSecret secret, String saslName, String clientNonce) {
        this.user = user;
        this.secret = secret;
        this.saslName = saslName;
        this.clientNonce = clientNonce;
    }

    private static String newNonce(SecureRandom random) {
        byte[] raw = new byte[18];
        random.nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    /** The client-first-message for SASLInitialResponse. */
    public byte[] clientFirst() {
        if (state != State.INITIAL) {
            throw new IllegalStateException("client-first-message already sent");
        }
        clientFirstBare = "n=" + saslName + ",r=" + clientNonce;
        state = State.EXPECT_SERVER_FIRST;
        return (GS2_HEADER + clientFirstBare).getBytes(StandardCharsets.US_ASCII);
    }

    /** Handles AuthenticationSASLContinue; returns the client-final-message for SASLResponse. */
    public byte[] handleServerFirst(byte[] data) throws AuthException {
        if (state != State.EXPECT_SERVER_FIRST) {
            throw serverError("unexpected AuthenticationSASLContinue");
        }
        state = State.EXPECT_SERVER_FINAL;
        String serverFirst = new String(data, StandardCharsets.UTF_8);
        ScramReader in = new ScramReader(serverFirst);
        String nonce = in.attribute('r');
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw serverError("server's SCRAM nonce does not extend ours");
        }
        byte[] salt = in.base64Attribute('s', "malformed salt in server-first-message");
        int iterations;
        try {
            iterations = Integer.parseInt(in.attribute('i'));
        } catch (NumberFormatException e) {
            throw serverError("malformed iteration count in server-first-message");
        }
        if (iterations < 1 || salt.length == 0) {
            throw serverError("invalid salt or iteration count in server-first-message");
        }
        Keys keys = secret.keysFor(user, salt, iterations);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(
                GS2_HEADER.getBytes(StandardCharsets.US_ASCII)) + ",r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] storedKey = ScramCrypto.sha256(keys.clientKey());
        byte[] proof = ScramCrypto.xor(keys.clientKey(), ScramCrypto.hmac(storedKey, authMessage));
        expectedServerSignature = keys.serverKey() == null ? null
                : ScramCrypto.hmac(keys.serverKey(), authMessage);
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof))
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Handles AuthenticationSASLFinal: checks the server signature when a ServerKey is known. */
    public void handleServerFinal(byte[] data) throws AuthException {
        if (state != State.EXPECT_SERVER_FINAL) {
            throw serverError("unexpected AuthenticationSASLFinal");
        }
        state = State.DONE;
        String message = new String(data, StandardCharsets.UTF_8);
        if (message.startsWith("e=")) {
            throw serverError("server reported SCRAM error: " + message.substring(2));
        }
        byte[] signature = new ScramReader(message).base64Attribute('v', "malformed server signature");
        if (expectedServerSignature != null && !ScramCrypto.same(signature, expectedServerSignature)) {
            throw serverError("incorrect server signature");
        }
    }

    private static AuthException serverError(String detail) {
        return new AuthException(SqlState.PROTOCOL_VIOLATION,
                "SCRAM authentication with backend failed: " + detail, null);
    }

    /** The two keys a SCRAM client needs; {@code serverKey} may be null (signature unchecked). */
    record Keys(byte[] clientKey, byte[] serverKey) {
    }

    /** What vxpool knows of a user's SCRAM secret when it logs in to a backend. */
    public sealed interface ScramSecret {
        Keys keysFor(String user, byte[] salt, int iterations) throws AuthException;

        /** The clear-text password: works with any salt. */
        static ScramSecret password(byte[] password) {
            return new PasswordSecret(password.clone());
        }

        /** A ClientKey valid only for {@code salt}/{@code iterations}; {@code serverKey} may be null. */
        static ScramSecret clientKey(byte[] clientKey, int iterations, byte[] salt, byte[] serverKey) {
            return new ClientKeySecret(clientKey.clone(), iterations, salt.clone(),
                    serverKey == null ? null : serverKey.clone());
        }
    }

    record PasswordSecret(byte[] password) implements ScramSecret {
        /**
         * Derived keys by (password, salt, iterations): every new backend connection of a user
         * would otherwise run 4096 PBKDF2 rounds on the event loop. Bounded; cleared when full.
         */
        private static final java.util.Map<String, Keys> DERIVED = new java.util.concurrent.ConcurrentHashMap<>();
        private static final int MAX_DERIVED = 4096;

        @Override
        public Keys keysFor(String user, byte[] salt, int iterations) {
            String key = Base64.getEncoder().encodeToString(ScramCrypto.hmac(salt, password)) + ":" + iterations
                    + ":" + Base64.getEncoder().encodeToString(salt);
            Keys cached = DERIVED.get(key);
            if (cached != null) {
                return cached;
            }
            byte[] salted = ScramCrypto.saltedPassword(SaslPrep.prepareForScram(password), salt, iterations);
            Keys keys = new Keys(ScramCrypto.clientKey(salted), ScramCrypto.serverKey(salted));
            if (DERIVED.size() >= MAX_DERIVED) {
                DERIVED.clear();
            }
            DERIVED.put(key, keys);
            return keys;
        }
    }

    record ClientKeySecret(byte[] clientKey, int iterations, byte[] salt, byte[] serverKey)
            implements ScramSecret {
        @Override
        public Keys keysFor(String user, byte[] backendSalt, int backendIterations) throws AuthException {
            if (backendIterations != iterations || !Arrays.equals(backendSalt, salt)) {
                throw new AuthException(SqlState.INVALID_PASSWORD,
                        "password authentication failed for user \"" + user + "\"",
                        "The backend's SCRAM secret for user \"" + user + "\" has another salt or "
                                + "iteration count than pool_passwd's verifier; copy the verifier from "
                                + "the backend's pg_authid into pool_passwd, or store the password.");
            }
            return new Keys(clientKey, serverKey);
        }
    }
}
