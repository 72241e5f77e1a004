package org.vxpool.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link ConfigLoader} makes of the bytes of a file, before any parameter is looked at. */
class ConfigFileTest {

    @Test
    void aFileSavedWithAByteOrderMarkLoads(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("bom.conf");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bytes.write("backend_hostname0 = 'db0'\r\nport = 7\r\n".getBytes(StandardCharsets.UTF_8));
        Files.write(conf, bytes.toByteArray());

        PoolConfig config = ConfigLoader.load(conf);

        assertThat(config.get(Params.PORT)).isEqualTo(7);
        assertThat(config.backends().get(0).host()).isEqualTo("db0");
    }

    @Test
    void aByteThatIsNotUtf8IsReportedAtItsLine(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("latin1.conf");
        // "# Réplication" saved as ISO-8859-1: 0xE9 is not UTF-8.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("backend_hostname0 = 'db0'\nport = 7\n# R".getBytes(StandardCharsets.US_ASCII));
        bytes.write(0xE9);
        bytes.write("plication\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(conf, bytes.toByteArray());

        assertThatThrownBy(() -> ConfigLoader.load(conf))
                .isInstanceOf(ConfigException.class)
                .hasMessage(conf + ":3: file: not valid UTF-8 (byte 0xe9); save the file as UTF-8");
    }
}
