package org.vxpool.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AesPasswordsTest {
    /** Produced by pgpool-II 4.3.5's {@code pg_enc -K 'vxpool-test-key' 's3cret:pw'}. */
    static final String VECTOR_1 = "AESrZK2trerm3/IXHUAncWkUQ==";
    /** {@code pg_enc -K 'another key with spaces' 'pässwörd-ünïcode'}: multi-block, UTF-8. */
    static final String VECTOR_2 = "AESi+cZI0h4EPFwYjOZH5g7Sdp1K2uUPH/nTqx9gdDJogY=";

    @Test
    void decryptsWhatPgEncWrote() {
        assertThat(AesPasswords.decrypt(VECTOR_1, "vxpool-test-key")).isEqualTo("s3cret:pw");
        assertThat(AesPasswords.decrypt(VECTOR_2, "another key with spaces")).isEqualTo("pässwörd-ünïcode");
    }

    @Test
    void encryptsAsPgEncDoes() {
        assertThat(AesPasswords.encrypt("s3cret:pw", "vxpool-test-key")).isEqualTo(VECTOR_1);
        assertThat(AesPasswords.encrypt("pässwörd-ünïcode", "another key with spaces")).isEqualTo(VECTOR_2);
    }

    /** Against the pg_enc installed here (bin/install-deps installs pgpool2), when there is one. */
    @Test
    void decryptsWhatTheInstalledPgEncWritesNow() throws Exception {
        Path pgEnc = Path.of("/usr/sbin/pg_enc");
        assumeTrue(Files.isExecutable(pgEnc), "pg_enc (package pgpool2) is not installed");
        for (String[] keyAndPassword : List.of(
                new String[] {"k", "p"},
                new String[] {"a key: with colon", "exactly16bytes!!"},
                new String[] {"ключ", "a-much-longer-password-spanning-several-aes-blocks-0123456789"})) {
            String encrypted = pgEnc(pgEnc, keyAndPassword[0], keyAndPassword[1]);
            assertThat(AesPasswords.decrypt(encrypted, keyAndPassword[0])).isEqualTo(keyAndPassword[1]);
        }
    }

    private static String pgEnc(Path pgEnc, String key, String password) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(pgEnc.toString(), "-K", key, password).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String marker = "pool_passwd string: ";
        assertThat(out).contains(marker);
        return out.substring(out.indexOf(marker) + marker.length()).strip();
    }

    @Test
    void aWrongKeyIsAClearErrorNotAGarbagePassword() {
        assertThatThrownBy(() -> AesPasswords.decrypt(VECTOR_1, "not-the-key"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot decrypt")
                .hasMessageNotContaining("s3cret");
        // Many wrong keys: each one either fails cleanly or (never, here) returns the password.
        for (int i = 0; i < 2000; i++) {
            String wrong = "wrong-" + i;
            assertThatThrownBy(() -> AesPasswords.decrypt(VECTOR_2, wrong))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void malformedTextIsNamed() {
        assertThatThrownBy(() -> AesPasswords.decrypt("AES!!notbase64", "k"))
                .hasMessageContaining("not valid base64");
        assertThatThrownBy(() -> AesPasswords.decrypt("AESrZK2trerm3/IXHUA", "k"))
                .hasMessageContaining("not a whole number of AES blocks");
        assertThatThrownBy(() -> AesPasswords.decrypt("AES", "k"))
                .hasMessageContaining("0 bytes");
    }
}
