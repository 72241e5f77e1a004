package org.vxpool.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigPasswordsTest {
    @TempDir
    Path dir;

    @Test
    void readsAesTextAndPlainValuesAsPgpoolDoes() throws IOException {
        PoolKey key = key("vxpool-test-key");
        assertThat(ConfigPasswords.clear("sr_check_password", AesPasswordsTest.VECTOR_1, key)).isEqualTo("s3cret:pw");
        assertThat(ConfigPasswords.clear("sr_check_password", "TEXTAESnot-encrypted", key)).isEqualTo("AESnot-encrypted");
        assertThat(ConfigPasswords.clear("sr_check_password", "plain", key)).isEqualTo("plain");
        assertThat(ConfigPasswords.clear("sr_check_password", "", key)).isEmpty();
        assertThat(ConfigPasswords.clear("sr_check_password", AesPasswordsTest.VECTOR_1, key("wrong key")))
                .as("pgpool goes on without a password").isEmpty();
    }

    @Test
    void everyUndecryptablePasswordParameterIsAProblemAtItsLine() throws IOException {
        PoolConfig config = PoolConfig.parse("""
                backend_hostname0 = 'h'
                sr_check_password = '%s'
                health_check_password1 = '%s'
                recovery_password = 'AESbroken'
                wd_lifecheck_password = 'TEXTAESfine'
                """.formatted(AesPasswordsTest.VECTOR_1, AesPasswordsTest.VECTOR_2), "/etc/pgpool.conf");
        PoolKey key = key("vxpool-test-key");
        assertThat(ConfigPasswords.problems(config, key)).extracting(ConfigProblem::toString).containsExactly(
                "/etc/pgpool.conf:3: health_check_password1: cannot decrypt the AES-encrypted password with"
                        + " pgpool's key; the key differs from the one pg_enc used (key file " + key.file() + ")",
                "/etc/pgpool.conf:4: recovery_password: AES-encrypted password has 4 bytes, not a whole number"
                        + " of AES blocks; was it cut short?");
        PoolConfig plain = PoolConfig.parse("backend_hostname0 = 'h'\nsr_check_password = 'plain'\n", "f");
        assertThat(ConfigPasswords.problems(plain, key)).isEmpty();
    }

    private PoolKey key(String text) throws IOException {
        Path file = Files.createTempFile(dir, "key", "");
        Files.writeString(file, text + "\n");
        return PoolKey.at(file);
    }
}
