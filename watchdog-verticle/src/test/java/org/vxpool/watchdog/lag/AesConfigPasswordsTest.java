package org.vxpool.watchdog.lag;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.config.PoolKey;
import org.vxpool.watchdog.recovery.RecoverySettings;

/** sr_check_password and recovery_password as pg_enc wrote them, with the launcher's -k key. */
class AesConfigPasswordsTest {
    /** {@code pg_enc -K 'vxpool-test-key' 's3cret:pw'}. */
    private static final String AES_S3CRET = "AESrZK2trerm3/IXHUAncWkUQ==";

    @TempDir
    Path dir;

    @AfterEach
    void clearKey() {
        System.clearProperty(PoolKey.PROPERTY);
    }

    @Test
    void srCheckAndRecoveryPasswordsAreDecrypted() throws Exception {
        Path key = dir.resolve("key");
        Files.writeString(key, "vxpool-test-key\n");
        System.setProperty(PoolKey.PROPERTY, key.toString());
        PoolConfig c = PoolConfig.parse("backend_hostname0 = 'h'\nsr_check_user = 'u'\nsr_check_password = '"
                + AES_S3CRET + "'\nrecovery_user = 'r'\nrecovery_password = 'TEXT" + AES_S3CRET + "'\n",
                dir.resolve("pgpool.conf").toString());
        assertThat(LagSettings.from(c).password()).isEqualTo("s3cret:pw");
        assertThat(RecoverySettings.from(c).password()).as("TEXT keeps an AES-looking password").isEqualTo(AES_S3CRET);
        assertThat(c.get(Params.SR_CHECK_PASSWORD))
                .as("the configuration keeps the value as written").isEqualTo(AES_S3CRET);
    }
}
