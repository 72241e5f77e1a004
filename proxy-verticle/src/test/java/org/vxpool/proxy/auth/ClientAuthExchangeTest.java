package org.vxpool.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vxpool.proxy.auth.ClientAuthExchange.Step;
import org.vxpool.proxy.auth.message.AuthenticationRequest;
import org.vxpool.proxy.protocol.PasswordMessage;
import org.vxpool.proxy.auth.message.SaslInitialResponse;
import org.vxpool.proxy.auth.message.SaslResponse;

/**
 * vxpool's server side driven by its own client side ({@link BackendAuthExchange}, which speaks
 * exactly what libpq speaks), for every method and pool_passwd form.
 */
class ClientAuthExchangeTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PASSWORD = "s3cret";
    private static final ScramVerifier VERIFIER = ScramVerifier.fromPassword(PASSWORD, salt(7), 4096);

    private static final List<String> HBA = List.of(
            "host all all 10.0.0.1/32 trust",
            "host all all 10.0.0.2/32 password",
            "host all all 10.0.0.3/32 md5",
            "host all all 10.0.0.4/32 scram-sha-256",
            "host all all 10.0.0.5/32 reject");
    private static final List<String> PASSWD = List.of(
            "plain:" + PASSWORD,
            "text:TEXT" + PASSWORD,
            "hashed:" + Md5Auth.encrypt(PASSWORD, "hashed"),
            "scram:" + VERIFIER.encode());

    private static PoolAuthenticator authenticator() throws AuthFileException {
        return new PoolAuthenticator(PoolHba.parse("pool_hba.conf", HBA, List::of),
                PoolPasswd.parse("pool_passwd", PASSWD), RANDOM);
    }

    private static ClientConnection from(String ip, String user) {
        return new ClientConnection(ConnectionType.HOST, false, "app", user, HbaAddress.parseLiteral(ip));
    }

    /** Runs a whole exchange; returns what vxpool may log in to backends with. */
    private static LoginSecret run(PoolAuthenticator auth, ClientConnection c, String password)
            throws AuthException {
        ClientAuthExchange server = auth.begin(c);
        BackendAuthExchange client = new BackendAuthExchange(c.user(),
                new LoginSecret.Password(password.getBytes(StandardCharsets.UTF_8)), RANDOM);
        Step step = server.start();
        while (step instanceof Step.Challenge ch) {
            Buffer reply = client.onRequest(ch.request()).orElseThrow();
            step = server.onMessage(reply.slice(5, reply.length()));
        }
        Step.Success ok = (Step.Success) step;
        for (AuthenticationRequest r : ok.send()) {
            assertThat(client.onRequest(r)).isEmpty();
        }
        assertThat(client.done()).isTrue();
        return ok.credentials();
    }

    @ParameterizedTest(name = "{0} as {1} -> {2}")
    @CsvSource({
        "10.0.0.1, plain,   Password",
        "10.0.0.1, hashed,  Md5Hash",
        "10.0.0.1, scram,   None",
        "10.0.0.1, nobody,  None",
        "10.0.0.2, plain,   Password",
        "10.0.0.2, text,    Password",
        "10.0.0.2, hashed,  Password",
        "10.0.0.2, scram,   Password",
        "10.0.0.3, plain,   Password",
        "10.0.0.3, hashed,  Md5Hash",
        "10.0.0.3, scram,   ScramKeys",
        "10.0.0.4, plain,   Password",
        "10.0.0.4, scram,   ScramKeys",
    })
    void rightPasswordLogsIn(String ip, String user, String credentials) throws Exception {
        assertThat(run(authenticator(), from(ip, user), PASSWORD).getClass().getSimpleName()).isEqualTo(credentials);
    }

    @ParameterizedTest(name = "{0} as {1} with {2}")
    @CsvSource({
        "10.0.0.2, plain,  wrong", "10.0.0.2, hashed, wrong", "10.0.0.2, scram, wrong", "10.0.0.2, nobody, s3cret",
        "10.0.0.3, plain,  wrong", "10.0.0.3, hashed, wrong", "10.0.0.3, scram, wrong", "10.0.0.3, nobody, s3cret",
        "10.0.0.4, plain,  wrong", "10.0.0.4, scram,  wrong", "10.0.0.4, nobody, s3cret",
        // PostgreSQL refuses SCRAM for a user whose only secret is an md5 hash, password or not.
        "10.0.0.4, hashed, s3cret",
    })
    void wrongPasswordUnknownUserAndUnusableSecretAllLookTheSame(String ip, String user, String password) {
        assertThatThrownBy(() -> run(authenticator(), from(ip, user), password))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("28P01");
                    assertThat(e.getMessage()).isEqualTo("password authentication failed for user \"" + user + "\"");
                });
    }

    @Test
    void unknownUserSeesTheSameScramChallengeShapeAsAKnownOne() throws Exception {
        PoolAuthenticator auth = authenticator();
        String first = serverFirst(auth, "nobody");
        assertThat(first).matches("r=abc[A-Za-z0-9+/=]+,s=[A-Za-z0-9+/=]{24},i=4096");
        // A stable mock salt: a prober cannot tell "unknown" from "known" by the salt changing.
        assertThat(first.replaceAll("r=[^,]*", "")).isEqualTo(serverFirst(auth, "nobody").replaceAll("r=[^,]*", ""));
        assertThat(serverFirst(auth, "plain").replaceAll("r=[^,]*", ""))
                .isEqualTo(serverFirst(auth, "plain").replaceAll("r=[^,]*", ""));
    }

    private static String serverFirst(PoolAuthenticator auth, String user) throws AuthException {
        ClientAuthExchange ex = auth.begin(from("10.0.0.4", user));
        ex.start();
        Step s = ex.onMessage(body(new SaslInitialResponse("SCRAM-SHA-256", bytes("n,,n=,r=abc")).encode()));
        AuthenticationRequest request = ((Step.Challenge) s).request();
        return new String(((AuthenticationRequest.SaslContinue) request).data(), StandardCharsets.US_ASCII);
    }

    @Test
    void hbaRejectAndNoEntryAre28000WithPostgresWording() throws Exception {
        PoolAuthenticator auth = authenticator();
        assertThatThrownBy(() -> auth.begin(from("10.0.0.5", "plain")))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("28000");
                    assertThat(e.getMessage()).isEqualTo("pool_hba.conf rejects connection for host \"10.0.0.5\","
                            + " user \"plain\", database \"app\", no encryption");
                });
        assertThatThrownBy(() -> auth.begin(new ClientConnection(ConnectionType.HOST, true, "app", "plain",
                HbaAddress.parseLiteral("10.0.0.9"))))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("28000");
                    assertThat(e.getMessage()).isEqualTo("no pool_hba.conf entry for host \"10.0.0.9\","
                            + " user \"plain\", database \"app\", SSL encryption");
                });
    }

    @Test
    void md5ResponseReplayedUnderAnotherSaltIsRejected() throws Exception {
        PoolAuthenticator auth = authenticator();
        ClientAuthExchange first = auth.begin(from("10.0.0.3", "hashed"));
        byte[] salt1 = ((AuthenticationRequest.Md5Password) ((Step.Challenge) first.start()).request()).salt();
        String response = Md5Auth.saltedResponse(Md5Auth.encrypt(PASSWORD, "hashed"), salt1);
        assertThat(first.onMessage(body(PasswordMessage.ofPassword(response).encode())))
                .isInstanceOf(Step.Success.class);

        ClientAuthExchange second = auth.begin(from("10.0.0.3", "hashed"));
        byte[] salt2 = ((AuthenticationRequest.Md5Password) ((Step.Challenge) second.start()).request()).salt();
        assertThat(salt2).isNotEqualTo(salt1);
        assertThatThrownBy(() -> second.onMessage(body(PasswordMessage.ofPassword(response).encode())))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.sqlState()).isEqualTo("28P01"));
    }

    @Test
    void scramProofForAnotherNonceIsRejected() throws Exception {
        PoolAuthenticator auth = authenticator();
        ClientAuthExchange ex = auth.begin(from("10.0.0.4", "scram"));
        ex.start();
        ex.onMessage(body(new SaslInitialResponse("SCRAM-SHA-256", bytes("n,,n=,r=abc")).encode()));
        assertThatThrownBy(() -> ex.onMessage(body(new SaslResponse(bytes("c=biws,r=abcOTHER,p="
                + java.util.Base64.getEncoder().encodeToString(new byte[32]))).encode())))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("08P01");
                    assertThat(e.getMessage()).isEqualTo("invalid SCRAM response");
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "p=tls-server-end-point,,n=,r=abc|08P01|malformed SCRAM message",
        "n,a=someone,n=,r=abc|0A000|client uses authorization identity, but it is not supported",
        "x,,n=,r=abc|08P01|malformed SCRAM message",
        "n,,m=ext,n=,r=abc|0A000|client requires an unsupported SCRAM extension",
        "n,,n=,r=|08P01|malformed SCRAM message",
        "n,,n=|08P01|malformed SCRAM message",
    })
    void malformedClientFirstMessagesFailLikePostgres(String clientFirst, String sqlState, String message)
            throws Exception {
        ClientAuthExchange ex = authenticator().begin(from("10.0.0.4", "scram"));
        ex.start();
        assertThatThrownBy(() -> ex.onMessage(body(new SaslInitialResponse("SCRAM-SHA-256", bytes(clientFirst)).encode())))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo(sqlState);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void plusMechanismIsNotAccepted() throws Exception {
        ClientAuthExchange ex = authenticator().begin(from("10.0.0.4", "scram"));
        ex.start();
        assertThatThrownBy(() -> ex.onMessage(body(new SaslInitialResponse("SCRAM-SHA-256-PLUS",
                bytes("p=tls-server-end-point,,n=,r=abc")).encode())))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("client selected an invalid SASL authentication mechanism"));
    }

    @Test
    void recoveredClientKeyLogsInWhereTheSameVerifierIsStored() throws Exception {
        LoginSecret keys = run(authenticator(), from("10.0.0.4", "scram"), PASSWORD);
        assertThat(keys).isInstanceOf(LoginSecret.ScramKeys.class);
        assertThat(VERIFIER.matchesClientKey(((LoginSecret.ScramKeys) keys).clientKey())).isTrue();

        // A "backend" holding the same verifier, reached with the ClientKey and no password.
        PoolAuthenticator backend = new PoolAuthenticator(
                PoolHba.parse("pg_hba.conf", List.of("host all all all scram-sha-256"), List::of),
                PoolPasswd.parse("authid", List.of("scram:" + VERIFIER.encode())), RANDOM);
        ClientAuthExchange server = backend.begin(from("10.0.0.4", "scram"));
        BackendAuthExchange vxpool = new BackendAuthExchange("scram", keys, RANDOM);
        Step step = server.start();
        while (step instanceof Step.Challenge ch) {
            Buffer reply = vxpool.onRequest(ch.request()).orElseThrow();
            step = server.onMessage(body(reply));
        }
        for (AuthenticationRequest r : ((Step.Success) step).send()) {
            vxpool.onRequest(r);
        }
        assertThat(vxpool.done()).isTrue();
    }

    @Test
    void backendMethodThatTheCredentialsCannotAnswerIsNamed() {
        BackendAuthExchange ex = new BackendAuthExchange("u", new LoginSecret.Md5Hash(
                Md5Auth.encrypt("x", "u")), RANDOM);
        assertThatThrownBy(() -> ex.onRequest(new AuthenticationRequest.Sasl(List.of("SCRAM-SHA-256"))))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.getMessage())
                        .startsWith("vxpool cannot log in to the backend as user \"u\": the backend asks for SCRAM"));
        assertThatThrownBy(() -> ex.onRequest(new AuthenticationRequest.CleartextPassword()))
                .isInstanceOf(AuthException.class).hasMessageContaining("password authentication");
    }

    @Test
    void clearTextForBackendTakesThePasswordUnverified() throws Exception {
        ClientAuthExchange ex = ClientAuthExchange.clearTextForBackend("anyone");
        assertThat(((Step.Challenge) ex.start()).request()).isInstanceOf(AuthenticationRequest.CleartextPassword.class);
        Step.Success ok = (Step.Success) ex.onMessage(body(PasswordMessage.ofPassword("given").encode()));
        assertThat(((LoginSecret.Password) ok.credentials()).password()).isEqualTo(bytes("given"));
    }

    private static Buffer body(Buffer frame) {
        return frame.slice(5, frame.length());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] salt(int seed) {
        byte[] s = new byte[16];
        java.util.Arrays.fill(s, (byte) seed);
        return s;
    }
}
