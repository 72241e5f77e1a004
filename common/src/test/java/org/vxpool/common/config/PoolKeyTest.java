package org.vxpool.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolKeyTest {
    @TempDir
    Path dir;

    @Test
    void lookupOrderIsDashKThenPgpoolKeyFileThenHome() {
        Map<String, String> env = Map.of("PGPOOLKEYFILE", "/env/key", "HOME", "/home/pg");
        assertThat(PoolKey.locate("/given/key", env, "/ignored").file()).isEqualTo(Path.of("/given/key"));
        assertThat(PoolKey.locate(null, env, "/ignored").file()).isEqualTo(Path.of("/env/key"));
        assertThat(PoolKey.locate(null, Map.of("HOME", "/home/pg"), "/ignored").file())
                .isEqualTo(Path.of("/home/pg/.pgpoolkey"));
        assertThat(PoolKey.locate("", Map.of(), "/user/home").file()).isEqualTo(Path.of("/user/home/.pgpoolkey"));
    }

    @Test
    void theKeyIsTheFirstLineWithoutItsNewline() throws IOException {
        // echo 'vxpool-test-key' > ~/.pgpoolkey, as pgpool's documentation does it
        PoolKey key = PoolKey.at(keyFile("vxpool-test-key\nsecond line ignored\n", "rw-------"));
        assertThat(key.decrypt(AesPasswordsTest.VECTOR_1)).isEqualTo("s3cret:pw");
        assertThat(key.warning()).isEmpty();
    }

    @Test
    void aKeyFileOthersCanReadIsUsedWithPgpoolsWarning() throws IOException {
        PoolKey key = PoolKey.at(keyFile("vxpool-test-key", "rw-r--r--"));
        assertThat(key.decrypt(AesPasswordsTest.VECTOR_1)).isEqualTo("s3cret:pw");
        assertThat(key.warning()).hasValueSatisfying(w -> assertThat(w)
                .contains("has group or world access; permissions should be u=rw (0600) or less"));
    }

    @Test
    void noKeyFileNamesWhereItWasLookedFor() {
        PoolKey key = PoolKey.locate(null, Map.of("HOME", dir.toString()), null);
        assertThatThrownBy(() -> key.decrypt(AesPasswordsTest.VECTOR_1))
                .hasMessage("AES-encrypted password, but no key to decrypt it: no key file "
                        + dir.resolve(".pgpoolkey") + " ($HOME/.pgpoolkey; set PGPOOLKEYFILE or start vxpool"
                        + " with -k to use another)");
        PoolKey fromEnv = PoolKey.locate(null, Map.of("PGPOOLKEYFILE", dir + "/nokey"), null);
        assertThatThrownBy(() -> fromEnv.decrypt(AesPasswordsTest.VECTOR_1))
                .hasMessageContaining("no key file " + dir + "/nokey (PGPOOLKEYFILE)");
    }

    @Test
    void anEmptyKeyFileOrADirectoryIsNamed() throws IOException {
        assertThatThrownBy(() -> PoolKey.at(keyFile("\nkey-on-line-2\n", "rw-------")).decrypt(AesPasswordsTest.VECTOR_1))
                .hasMessageContaining("is empty (the key is its first line)");
        assertThatThrownBy(() -> PoolKey.at(dir).decrypt(AesPasswordsTest.VECTOR_1))
                .hasMessageContaining("is not a plain file");
    }

    @Test
    void aWrongKeyNamesTheKeyFile() throws IOException {
        Path file = keyFile("some other key\n", "rw-------");
        assertThatThrownBy(() -> PoolKey.at(file).decrypt(AesPasswordsTest.VECTOR_1))
                .hasMessageContaining("cannot decrypt")
                .hasMessageContaining(file.toString())
                .hasMessageNotContaining("s3cret")
                .hasMessageNotContaining("some other key");
    }

    private Path keyFile(String content, String perms) throws IOException {
        Path file = dir.resolve("key-" + perms);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
        return file;
    }
}
