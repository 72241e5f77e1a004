package org.vxpool.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vxpool.common.config.PoolKey;
import org.junit.jupiter.api.io.TempDir;

class PoolPasswdTest {
    private static final String SCRAM = "SCRAM-SHA-256$4096:KCZmgm96gfvo7U3JMvjkLw==$"
            + "vV7JzILG0G7gXVYkz6ztB8yYX72j4lAF3tkZBriN8m0=:zDR0d80yjd8kdWrdTeADq65FXOsCYzWCjPXL8fwYULw=";

    @Test
    void readsEveryForm() throws Exception {
        PoolPasswd p = PoolPasswd.parse("pool_passwd", List.of(
                "# comment",
                "",
                "alice:TEXTs3cret:with:colons",
                "bob:md5B86E5BA24C715F8B28DF87AA95864881",
                "carol:" + SCRAM,
                "dave:plain pass",
                "erin:md5short",
                "frank:TEXTAES-looking\r"));
        assertThat(p.size()).isEqualTo(6);
        assertThat(p.lookup("alice")).contains(new PoolPasswdEntry.Plain("s3cret:with:colons"));
        assertThat(p.lookup("bob")).contains(new PoolPasswdEntry.Md5("md5b86e5ba24c715f8b28df87aa95864881"));
        assertThat(p.lookup("carol")).contains(new PoolPasswdEntry.Scram(ScramVerifier.parse(SCRAM).orElseThrow()));
        assertThat(p.lookup("dave")).contains(new PoolPasswdEntry.Plain("plain pass"));
        // pgpool only treats "md5" + 32 characters as a hash.
        assertThat(p.lookup("erin")).contains(new PoolPasswdEntry.Plain("md5short"));
        assertThat(p.lookup("frank")).contains(new PoolPasswdEntry.Plain("AES-looking"));
        assertThat(p.lookup("nobody")).isEmpty();
    }

    /** {@code pg_enc -K 'vxpool-test-key' 's3cret:pw'} and {@code -K 'another key with spaces'}. */
    private static final String AES_S3CRET = "AESrZK2trerm3/IXHUAncWkUQ==";
    private static final String AES_OTHER_KEY = "AESi+cZI0h4EPFwYjOZH5g7Sdp1K2uUPH/nTqx9gdDJogY=";

    @Test
    void aesEntriesAreClearTextPasswordsOnceDecrypted(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve(".pgpoolkey");
        Files.writeString(keyFile, "vxpool-test-key\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        PoolPasswd p = PoolPasswd.parse("pool_passwd", List.of("alice:" + AES_S3CRET, "bob:TEXT" + AES_S3CRET),
                PoolKey.at(keyFile));
        assertThat(p.lookup("alice")).contains(new PoolPasswdEntry.Plain("s3cret:pw"));
        assertThat(p.lookup("bob")).as("TEXT keeps an AES-looking password as written")
                .contains(new PoolPasswdEntry.Plain(AES_S3CRET));

        assertThatThrownBy(() -> PoolPasswd.parse("/etc/pool_passwd", List.of("a:TEXTx", "carol:" + AES_OTHER_KEY),
                PoolKey.at(keyFile)))
                .isInstanceOfSatisfying(AuthFileException.class, e -> assertThat(e.problems()).containsExactly(
                        "/etc/pool_passwd:2: user \"carol\": cannot decrypt the AES-encrypted password with"
                                + " pgpool's key; the key differs from the one pg_enc used (key file " + keyFile + ")"));
    }

    @Test
    void reportsEveryBadLineWithFileAndLine(@TempDir Path dir) {
        PoolKey noKey = PoolKey.at(dir.resolve("no-such-key"));
        assertThatThrownBy(() -> PoolPasswd.parse("/etc/pool_passwd", List.of(
                "no-colon-here",
                ":nouser",
                "a:AESq2Ra1aRc7tqRLVyRQyH3dQ==",
                "b:md5zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
                "c:SCRAM-SHA-256$4096:c2FsdA==$bm90MzJieXRlcw==:bm90MzJieXRlcw==",
                "d:",
                "e:x",
                "e:y"), noKey))
                .isInstanceOfSatisfying(AuthFileException.class, e -> assertThat(e.problems()).containsExactly(
                        "/etc/pool_passwd:1: expected user:password",
                        "/etc/pool_passwd:2: empty user name",
                        "/etc/pool_passwd:3: user \"a\": AES-encrypted password, but no key to decrypt it: no key"
                                + " file " + dir.resolve("no-such-key"),
                        "/etc/pool_passwd:4: user \"b\": malformed md5 entry: expected md5 followed by 32 hex digits",
                        "/etc/pool_passwd:5: user \"c\": malformed SCRAM-SHA-256 verifier; expected "
                                + "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>",
                        "/etc/pool_passwd:6: user \"d\": empty password",
                        "/etc/pool_passwd:8: user \"e\" is listed twice"));
    }

    @Test
    void loadsFromDiskAndReportsMissingFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pool_passwd");
        Files.writeString(file, "u:TEXTp\n");
        assertThat(PoolPasswd.load(file).lookup("u")).contains(new PoolPasswdEntry.Plain("p"));
        assertThatThrownBy(() -> PoolPasswd.load(dir.resolve("missing")))
                .isInstanceOf(AuthFileException.class).hasMessageContaining("cannot read pool_passwd");
    }

    @Test
    void entriesNeverPrintSecrets() {
        assertThat(new PoolPasswdEntry.Plain("hunter2").toString()).doesNotContain("hunter2");
        assertThat(ScramVerifier.parse(SCRAM).orElseThrow().toString()).doesNotContain("KCZm");
    }
}
