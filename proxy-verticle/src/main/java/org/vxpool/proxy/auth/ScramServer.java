package org.vxpool.proxy.auth;

import org.vxpool.proxy.protocol.SqlState;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * The server side of one SCRAM-SHA-256 exchange, following PostgreSQL's {@code auth-scram.c}:
 * only the mechanism {@code SCRAM-SHA-256} (vxpool never offers {@code -PLUS}), GS2 header
 * {@code n,,} or {@code y,,}, no authorization identity, the user name in {@code n=} ignored (the
 * start-up packet's user counts).
 *
 * <p>For an unknown user, or one without a usable secret, the exchange runs against a mock
 * verifier whose salt is stable per user and fails only at the end, exactly like a wrong password,
 * so a client cannot probe which users exist.
 *
 * <p>On success {@link #clientKey()} is the client's ClientKey, recovered as
 * {@code ClientProof XOR HMAC(StoredKey, AuthMessage)}; with the verifier's salt it is all vxpool
 * needs to log in to a backend that stores the same verifier.
 */
public final class ScramServer {
    public static final String MECHANISM = "SCRAM-SHA-256";
    private static final int NONCE_LENGTH = 18;

    private enum State { EXPECT_CLIENT_FIRST, EXPECT_CLIENT_FINAL, DONE }

    private final String user;
    private final ScramVerifier verifier;
    private final boolean mock;
    private final Supplier<String> serverNonce;
    private State state = State.EXPECT_CLIENT_FIRST;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private byte[] clientKey;

    private ScramServer(String user, ScramVerifier verifier, boolean mock, Supplier<String> serverNonce) {
        this.user = user;
        this.verifier = verifier;
        this.mock = mock;
        this.serverNonce = serverNonce;
    }

    /** An exchange against the user's real verifier. */
    public static ScramServer forVerifier(String user, ScramVerifier verifier, SecureRandom random) {
        return new ScramServer(user, verifier, false, () -> newNonce(random));
    }

    /** For known-answer tests: a fixed server nonce. */
    static ScramServer forVerifier(String user, ScramVerifier verifier, String serverNonce) {
        return new ScramServer(user, verifier, false, () -> serverNonce);
    }

    /** An exchange doomed to fail that looks like a real one; {@code mockSecret} is per process. */
    public static ScramServer mock(String user, byte[] mockSecret, SecureRandom random) {
        byte[] salt = java.util.Arrays.copyOf(ScramCrypto.hmac(mockSecret,
                user.getBytes(StandardCharsets.UTF_8)), ScramVerifier.DEFAULT_SALT_LENGTH);
        byte[] junk = new byte[ScramCrypto.KEY_LENGTH];
        random.nextBytes(junk);
        ScramVerifier v = new ScramVerifier(ScramVerifier.DEFAULT_ITERATIONS, salt, junk, junk);
        return new ScramServer(user, v, true, () -> newNonce(random));
    }

    /** Handles SASLInitialResponse; returns the server-first-message for AuthenticationSASLContinue. */
    public byte[] handleClientFirst(String mechanism, byte[] data) throws AuthException {
        requireState(State.EXPECT_CLIENT_FIRST);
        if (!MECHANISM.equals(mechanism)) {
            throw new AuthException(SqlState.PROTOCOL_VIOLATION,
                    "client selected an invalid SASL authentication mechanism", null);
        }
        if (data == null) {
            throw AuthException.malformedScram("The message is empty.");
        }
        ScramReader in = new ScramReader(decode(data));
        char cbind = in.next();
        switch (cbind) {
            case 'n', 'y' -> in.expect(',');
            case 'p' -> throw AuthException.malformedScram("The client selected SCRAM-SHA-256 without "
                    + "channel binding, but the SCRAM message includes channel binding data.");
            default -> throw AuthException.malformedScram("Unexpected channel-binding flag \"" + cbind + "\".");
        }
        if (in.peek() == 'a') {
            throw new AuthException(SqlState.FEATURE_NOT_SUPPORTED,
                    "client uses authorization identity, but it is not supported", null);
        }
        in.expect(',');
        gs2Header = in.consumed();
        clientFirstBare = in.rest();
        if (in.peek() == 'm') {
            throw new AuthException(SqlState.FEATURE_NOT_SUPPORTED,
                    "client requires an unsupported SCRAM extension", null);
        }
        in.attribute('n');
        String clientNonce = in.attribute('r');
        if (clientNonce.isEmpty() || !ScramReader.isPrintable(clientNonce)) {
            throw AuthException.malformedScram("non-printable characters in SCRAM nonce");
        }
        nonce = clientNonce + serverNonce.get();
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(verifier.salt())
                + ",i=" + verifier.iterations();
        state = State.EXPECT_CLIENT_FINAL;
        return serverFirst.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Handles SASLResponse; returns the server-final-message for AuthenticationSASLFinal, after
     * which the caller sends AuthenticationOk. A wrong proof fails with 28P01.
     */
    public byte[] handleClientFinal(byte[] data) throws AuthException {
        requireState(State.EXPECT_CLIENT_FINAL);
        state = State.DONE;
        String message = decode(data);
        ScramReader in = new ScramReader(message);
        String binding = in.attribute('c');
        String expected = Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.US_ASCII));
        if (!binding.equals(expected)) {
            throw AuthException.malformedScram("SCRAM channel binding check failed.");
        }
        if (!in.attribute('r').equals(nonce)) {
            throw new AuthException(SqlState.PROTOCOL_VIOLATION, "invalid SCRAM response",
                    "Nonce does not match.");
        }
        int proofAt;
        do {
            proofAt = in.position();
        } while (in.skipExtensionUnless('p'));
        String withoutProof = message.substring(0, proofAt - 1);
        byte[] proof = in.base64Attribute('p', "Malformed proof in client-final-message.");
        if (!in.atEnd()) {
            throw AuthException.malformedScram("Garbage found at the end of client-final-message.");
        }
        if (proof.length != ScramCrypto.KEY_LENGTH) {
            throw AuthException.malformedScram("Malformed proof in client-final-message.");
        }
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] key = ScramCrypto.xor(proof, ScramCrypto.hmac(verifier.storedKey(), authMessage));
        if (mock) {
            throw AuthException.passwordFailed(user, "User \"" + user + "\" has no SCRAM secret in pool_passwd.");
        }
        if (!verifier.matchesClientKey(key)) {
            throw AuthException.passwordFailed(user, "SCRAM proof of user \"" + user + "\" is wrong.");
        }
        clientKey = key;
        String signature = Base64.getEncoder().encodeToString(ScramCrypto.hmac(verifier.serverKey(), authMessage));
        return ("v=" + signature).getBytes(StandardCharsets.US_ASCII);
    }

    /** The recovered ClientKey; only after a successful {@link #handleClientFinal}. */
    public byte[] clientKey() {
        if (clientKey == null) {
            throw new IllegalStateException("SCRAM exchange has not succeeded");
        }
        return clientKey.clone();
    }

    /** The verifier the client proved knowledge of. */
    public ScramVerifier verifier() {
        return verifier;
    }

    private static String newNonce(SecureRandom random) {
        byte[] raw = new byte[NONCE_LENGTH];
        random.nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    private void requireState(State expected) throws AuthException {
        if (state != expected) {
            throw AuthException.malformedScram("unexpected SCRAM message in state " + state);
        }
    }

    private static String decode(byte[] data) throws AuthException {
        String s = new String(data, StandardCharsets.UTF_8);
        if (s.indexOf('\0') >= 0) {
            throw AuthException.malformedScram("SCRAM message contains a NUL byte.");
        }
        return s;
    }
}
