package org.vxpool.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Known-answer tests: RFC 7677's example, and verifiers read from a real PostgreSQL 15. */
class ScramVectorsTest {
    private static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String SALT = "W22ZaJ0SNY7soEsUEjb6gQ==";
    private static final String CLIENT_FIRST = "n,,n=user,r=" + CLIENT_NONCE;
    private static final String SERVER_FIRST = "r=" + CLIENT_NONCE + SERVER_NONCE + ",s=" + SALT + ",i=4096";
    private static final String CLIENT_FINAL = "c=biws,r=" + CLIENT_NONCE + SERVER_NONCE
            + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static ScramVerifier rfcVerifier() {
        return ScramVerifier.fromPassword("pencil", Base64.getDecoder().decode(SALT), 4096);
    }

    @Test
    void serverSideReproducesRfc7677Exchange() throws Exception {
        ScramServer server = ScramServer.forVerifier("user", rfcVerifier(), SERVER_NONCE);
        assertThat(ascii(server.handleClientFirst("SCRAM-SHA-256", ascii(CLIENT_FIRST)))).isEqualTo(SERVER_FIRST);
        assertThat(ascii(server.handleClientFinal(ascii(CLIENT_FINAL)))).isEqualTo(SERVER_FINAL);

        byte[] salted = ScramCrypto.saltedPassword(ascii("pencil"), Base64.getDecoder().decode(SALT), 4096);
        assertThat(server.clientKey()).isEqualTo(ScramCrypto.clientKey(salted));
    }

    @Test
    void clientSideReproducesRfc7677ExchangeWithPassword() throws Exception {
        ScramClient client = new ScramClient("user", ScramClient.ScramSecret.password(ascii("pencil")),
                "user", CLIENT_NONCE);
        assertThat(ascii(client.clientFirst())).isEqualTo(CLIENT_FIRST);
        assertThat(ascii(client.handleServerFirst(ascii(SERVER_FIRST)))).isEqualTo(CLIENT_FINAL);
        client.handleServerFinal(ascii(SERVER_FINAL));
    }

    @Test
    void clientSideReproducesRfc7677ExchangeWithRecoveredClientKey() throws Exception {
        ScramVerifier v = rfcVerifier();
        ScramServer server = ScramServer.forVerifier("user", v, SERVER_NONCE);
        server.handleClientFirst("SCRAM-SHA-256", ascii(CLIENT_FIRST));
        server.handleClientFinal(ascii(CLIENT_FINAL));

        ScramClient client = new ScramClient("user", ScramClient.ScramSecret.clientKey(server.clientKey(),
                v.iterations(), v.salt(), v.serverKey()), "user", CLIENT_NONCE);
        client.clientFirst();
        assertThat(ascii(client.handleServerFirst(ascii(SERVER_FIRST)))).isEqualTo(CLIENT_FINAL);
        client.handleServerFinal(ascii(SERVER_FINAL));
    }

    @Test
    void clientRejectsForgedServerSignature() throws Exception {
        ScramClient client = new ScramClient("user", ScramClient.ScramSecret.password(ascii("pencil")),
                "user", CLIENT_NONCE);
        client.clientFirst();
        client.handleServerFirst(ascii(SERVER_FIRST));
        assertThatThrownBy(() -> client.handleServerFinal(ascii("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")))
                .isInstanceOf(AuthException.class).hasMessageContaining("incorrect server signature");
    }

    @Test
    void clientKeyForAnotherSaltIsRefusedBeforeSendingAProof() {
        ScramVerifier v = ScramVerifier.fromPassword("pencil", new byte[16], 4096);
        ScramClient client = new ScramClient("user", ScramClient.ScramSecret.clientKey(new byte[32],
                v.iterations(), v.salt(), v.serverKey()), "user", CLIENT_NONCE);
        client.clientFirst();
        assertThatThrownBy(() -> client.handleServerFirst(ascii(SERVER_FIRST)))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("28P01");
                    assertThat(e.logDetail()).contains("another salt");
                });
    }

    @Test
    void tamperedProofFailsWith28P01() throws Exception {
        ScramServer server = ScramServer.forVerifier("user", rfcVerifier(), SERVER_NONCE);
        server.handleClientFirst("SCRAM-SHA-256", ascii(CLIENT_FIRST));
        String tampered = CLIENT_FINAL.replace("p=dHzb", "p=dHzc");
        assertThatThrownBy(() -> server.handleClientFinal(ascii(tampered)))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("28P01");
                    assertThat(e.getMessage()).isEqualTo("password authentication failed for user \"user\"");
                });
        assertThatThrownBy(server::clientKey).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Verifiers from PostgreSQL 15 ({@code CREATE ROLE ... PASSWORD}, then
     * {@code pg_authid.rolpassword}): deriving with the same salt must give the same keys,
     * including for passwords SASLprep changes (NFKC, mapped spaces, mapped-to-nothing) and those
     * it leaves raw (prohibited LRM, bad bidi).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "pencil|SCRAM-SHA-256$4096:KCZmgm96gfvo7U3JMvjkLw==$vV7JzILG0G7gXVYkz6ztB8yYX72j4lAF3tkZBriN8m0=:zDR0d80yjd8kdWrdTeADq65FXOsCYzWCjPXL8fwYULw=",
        "\u2168p\u00e4ss|SCRAM-SHA-256$4096:DCfDsisgOEGlmv7eypeLeg==$99eXLxy9PQxzkp2JpVUQvtajWQ7YTXjDJ3+0cY1nzGw=:wtsnpOAH0rcca7Xpsn5GRibbLuARnc6XYxaFap1z0eg=",
        "a\u00a0b\u00adc\u00e9|SCRAM-SHA-256$4096:6rr2IZXkxD3Gu3h+8TFiCw==$n52MHphtu3lBOg0s0yGxnyzUv4X+5KKsagwOSfVWajM=:Dm6t6zNIaHkx74uCNiNSfidD8BzRM+kFBOqGdG2KL3I=",
        "x\u200by\u00e9|SCRAM-SHA-256$4096:xF9xiKOALwSYVCuBxbOsdw==$uYDx1LD5Rkz1u6Vr9L6cmTG1ukjwYFnkk67PAlEr9RE=:v5i7py6+a8u6+U0z3wkvwtzcMqObXaOgFksJdkNgSNM=",
        "p\u00e4ss\u200eword|SCRAM-SHA-256$4096:lE5GATU/hYttse7gmDDTkA==$Sqo+mLp0pROLy7/fH23kgboZeCUVi9aoDuBj6tooXj0=:1n98gj/q5XZ47F7nCYSOJxafnEMGNCn3oykixALRY5I=",
        "\u05d0abc|SCRAM-SHA-256$4096:XW75XW2AOHVDH9fZIzcJOw==$sOUkZf8KdIQZpM1t1hE8VTCkC+k/yUU/AExXcSYsURo=:YyGgNMWrnd7OHMRhvwohiQJ5Eli7qmIA7xamiAxQRwU=",
        "a:b$c|SCRAM-SHA-256$4096:dSffJ+tniiBnRmQEJIWJ5w==$Zht25LJZj7v97bt/F0iFXs8gV+Rn+Mo9dlBiD9SbKk0=:dWt7MMWqu+iOoiGEtdMtnMOguv1c4f5rglbVndRGDLY=",
    })
    void derivationMatchesPostgres(String password, String stored) {
        ScramVerifier pg = ScramVerifier.parse(stored).orElseThrow();
        ScramVerifier ours = ScramVerifier.fromPassword(password, pg.salt(), pg.iterations());
        assertThat(ours).isEqualTo(pg);
        assertThat(ours.encode()).isEqualTo(stored);
    }

    @Test
    void md5MatchesPostgres() {
        // CREATE ROLE u_md5 PASSWORD 'secret' with password_encryption = md5
        assertThat(Md5Auth.encrypt("secret", "u_md5")).isEqualTo("md5b86e5ba24c715f8b28df87aa95864881");
    }

    @Test
    void saslPrepChangesOnlyWhatPostgresChanges() {
        assertThat(SaslPrep.prepare("\u2168")).isEqualTo("IX");
        assertThat(SaslPrep.prepare("a\u00a0b")).isEqualTo("a b");
        assertThat(SaslPrep.prepare("a\u00adb")).isEqualTo("ab");
        assertThat(SaslPrep.prepare("p\u200eq\u00e9")).isNull();
        assertThat(SaslPrep.prepareForScram(new byte[] {(byte) 0xff, 'a'})).containsExactly(0xff, 'a');
        assertThat(SaslPrep.prepareForScram("plain ascii\u0007")).isEqualTo(ascii("plain ascii\u0007"));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
