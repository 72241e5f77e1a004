package org.vxpool.watchdog.health;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.config.PoolKey;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgNode;

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

    /** {@code pg_enc -K 'vxpool-test-key' 's3cret:pw'}. */
    private static final String AES_S3CRET = "AESrZK2trerm3/IXHUAncWkUQ==";

    @Test
    void aesPasswordsInTheConfigAndInPoolPasswdAreDecryptedWithTheKey() throws Exception {
        Path key = dir.resolve("key");
        Files.writeString(key, "vxpool-test-key\n");
        Files.writeString(dir.resolve("pool_passwd"), "aes:" + AES_S3CRET + "\n");
        PoolConfig fromFile = PoolConfig.parse("backend_hostname0 = 'h'\nhealth_check_user = 'aes'\n",
                dir.resolve("pgpool.conf").toString());
        assertThat(HealthSettings.from(fromFile, 0, new HealthPasswords(fromFile, PoolKey.at(key))).password())
                .isEqualTo("s3cret:pw");
        PoolConfig inConfig = PoolConfig.parse("backend_hostname0 = 'h'\nhealth_check_user = 'x'\n"
                + "health_check_password0 = '" + AES_S3CRET + "'\n", dir.resolve("pgpool.conf").toString());
        assertThat(HealthSettings.from(inConfig, 0, new HealthPasswords(inConfig, PoolKey.at(key))).password())
                .isEqualTo("s3cret:pw");
        // Without the key pgpool goes on with no password (the start check has refused this already).
        PoolKey none = PoolKey.at(dir.resolve("no-key"));
        assertThat(HealthSettings.from(inConfig, 0, new HealthPasswords(inConfig, none)).password()).isEmpty();
        assertThat(HealthSettings.from(fromFile, 0, new HealthPasswords(fromFile, none)).password()).isEmpty();
    }

    @Test
    void hashesVerifiersAndUnknownUsersLeaveItEmpty() throws Exception {
        assertThat(settings("health_check_user = 'hashed'\n").password()).isEmpty();
        assertThat(settings("health_check_user = 'scram'\n").password()).isEmpty();
        assertThat(settings("health_check_user = 'nobody'\n").password()).isEmpty();
        assertThat(settings("health_check_user = 'plain'\npool_passwd = ''\n").password()).isEmpty();
    }

    @Test
    void theHealthCheckLogsInWithThePoolPasswdPassword() throws Exception {
        try (PgCluster pg = PgCluster.builder().start()) {
            PgNode n = pg.node(0);
            Files.writeString(dir.resolve("pool_passwd"), pg.user() + ":TEXT" + pg.password() + "\n");
            String conf = "backend_hostname0 = '" + n.host() + "'\nbackend_port0 = " + n.port()
                    + "\nhealth_check_user = '" + pg.user() + "'\n";
            Vertx vertx = Vertx.vertx();
            try {
                HealthSettings withFile = HealthSettings.from(PoolConfig.parse(conf,
                        dir.resolve("pgpool.conf").toString()), 0);
                PgProbe.check(vertx, PgProbe.Target.of(n.host(), n.port(), withFile), Duration.ofSeconds(20))
                        .await(30, TimeUnit.SECONDS);
                // Without the fallback the same login is refused: the password really came from the file.
                HealthSettings without = HealthSettings.from(PoolConfig.parse(conf + "pool_passwd = ''\n",
                        dir.resolve("pgpool.conf").toString()), 0);
                assertThatThrownBy(() -> PgProbe.check(vertx, PgProbe.Target.of(n.host(), n.port(), without),
                        Duration.ofSeconds(20)).await(30, TimeUnit.SECONDS)).isNotNull();
            } finally {
                vertx.close().await(30, TimeUnit.SECONDS);
            }
        }
    }
}
