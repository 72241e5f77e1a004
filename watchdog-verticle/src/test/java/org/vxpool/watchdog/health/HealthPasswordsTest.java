package org.vxpool.watchdog.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.config.PoolConfig;

class HealthPasswordsTest {
    @TempDir
    Path dir;

    private HealthSettings settings(String extra) throws Exception {
        Files.writeString(dir.resolve("pool_passwd"), "plain:TEXTs3cret\nhashed:md5" + "a".repeat(32)
                + "\nscram:SCRAM-SHA-256$4096:c2FsdA==$a:b\n");
        String conf = "backend_hostname0 = '127.0.0.1'\nbackend_port0 = 5432\n" + extra;
        return HealthSettings.from(PoolConfig.parse(conf, dir.resolve("pgpool.conf").toString()), 0);
    }

    @Test
    void emptyPasswordFallsBackToAClearTextPoolPasswdEntry() throws Exception {
        assertThat(settings("health_check_user = 'plain'\n").password()).isEqualTo("s3cret");
    }

    @Test
    void configuredPasswordWins() throws Exception {
        assertThat(settings("health_check_user = 'plain'\nhealth_check_password = 'given'\n").password())
                .isEqualTo("given");
    }

    @Test
    void hashesVerifiersAndUnknownUsersLeaveItEmpty() throws Exception {
        assertThat(settings("health_check_user = 'hashed'\n").password()).isEmpty();
        assertThat(settings("health_check_user = 'scram'\n").password()).isEmpty();
        assertThat(settings("health_check_user = 'nobody'\n").password()).isEmpty();
        assertThat(settings("health_check_user = 'plain'\npool_passwd = ''\n").password()).isEmpty();
    }
}
