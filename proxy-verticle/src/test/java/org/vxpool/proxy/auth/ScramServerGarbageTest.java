package org.vxpool.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whatever a client sends, the SCRAM server fails with an AuthException (an ErrorResponse), never else. */
class ScramServerGarbageTest {
    private static final ScramVerifier VERIFIER = ScramVerifier.fromPassword("pw", new byte[16], 4096);
    private static final String ALPHABET = "nyp,=ramcsi01AZ+/\u00e9\0";

    private static byte[] garbage(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(40);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void randomClientFirstMessages() {
        Random r = new Random(42);
        for (int i = 0; i < 5000; i++) {
            ScramServer s = ScramServer.forVerifier("u", VERIFIER, new SecureRandom());
            byte[] data = garbage(r);
            Throwable t = catchThrowable(() -> s.handleClientFirst("SCRAM-SHA-256", data));
            assertThat(t).as(new String(data, StandardCharsets.UTF_8)).satisfiesAnyOf(x -> assertThat(x).isNull(), x -> assertThat(x).isInstanceOf(AuthException.class));
        }
    }

    @Test
    void randomClientFinalMessages() throws Exception {
        Random r = new Random(7);
        for (int i = 0; i < 5000; i++) {
            ScramServer s = ScramServer.forVerifier("u", VERIFIER, new SecureRandom());
            s.handleClientFirst("SCRAM-SHA-256", "n,,n=,r=abc".getBytes(StandardCharsets.US_ASCII));
            byte[] data = garbage(r);
            Throwable t = catchThrowable(() -> s.handleClientFinal(data));
            assertThat(t).as(new String(data, StandardCharsets.UTF_8)).isInstanceOf(AuthException.class);
        }
    }
}
