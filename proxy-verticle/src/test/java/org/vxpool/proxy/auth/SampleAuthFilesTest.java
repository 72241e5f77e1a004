package org.vxpool.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vxpool.common.config.ConfigLoader;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.proxy.session.TrustPassThroughAuthenticator;

/** The shipped conf/pool_hba.conf and conf/pool_passwd load, and say what conf/README.md says. */
class SampleAuthFilesTest {
    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    /** Surefire runs in the module directory; the samples sit next to it. */
    static Path confDir() {
        return Path.of("").toAbsolutePath().resolveSibling("conf");
    }

    @Test
    void samplePoolPasswdHoldsTheDocumentedPasswords() throws Exception {
        PoolPasswd p = PoolPasswd.load(confDir().resolve("pool_passwd"));
        assertThat(p.lookup("alice")).contains(new PoolPasswdEntry.Plain("alice-secret"));
        assertThat(p.lookup("bob")).contains(new PoolPasswdEntry.Md5(Md5Auth.encrypt("bob-secret", "bob")));
        assertThat(p.lookup("carol")).contains(new PoolPasswdEntry.Scram(ScramVerifier.fromPassword("carol-secret",
                "saltsaltsaltsalt".getBytes(StandardCharsets.US_ASCII), 4096)));
    }

    @Test
    void samplePoolHbaMatchesAsCommented() throws Exception {
        PoolHba hba = PoolHba.load(confDir().resolve("pool_hba.conf"));
        assertThat(hba.match(ConnectionType.LOCAL, false, "app", "alice", null).orElseThrow().method())
                .isEqualTo(AuthMethod.TRUST);
        assertThat(hba.match(ConnectionType.HOST, false, "postgres", "pgpool",
                HbaAddress.parseLiteral("192.168.100.20")).orElseThrow().method()).isEqualTo(AuthMethod.SCRAM_SHA_256);
        assertThat(hba.match(ConnectionType.HOST, false, "app", "postgres",
                HbaAddress.parseLiteral("127.0.0.1")).orElseThrow().method()).isEqualTo(AuthMethod.REJECT);
        assertThat(hba.match(ConnectionType.HOST, true, "app", "bob",
                HbaAddress.parseLiteral("192.168.100.7")).orElseThrow().method()).isEqualTo(AuthMethod.MD5);
        assertThat(hba.match(ConnectionType.HOST, false, "app", "bob", HbaAddress.parseLiteral("10.9.9.9"))).isEmpty();
    }

    static Stream<Path> sampleConfigs() throws Exception {
        return Files.list(confDir()).filter(f -> f.getFileName().toString().endsWith(".conf"))
                .filter(f -> !f.getFileName().toString().equals("pool_hba.conf"))
                // admin API credentials, not a pgpool.conf (PcpAuthFileTest in admin-verticle loads it)
                .filter(f -> !f.getFileName().toString().equals("pcp.conf"));
    }

    @ParameterizedTest
    @MethodSource("sampleConfigs")
    void everySampleConfigGivesAWorkingAuthSetup(Path conf) throws Exception {
        PoolConfig config = ConfigLoader.load(conf, OptionalInt.of(0));
        ProxySecurity s = ProxySecurity.load(vertx, config, null).await(60, TimeUnit.SECONDS);
        assertThat(s.authenticator()).isInstanceOf(PoolHbaAuthenticator.class);
        assertThat(s.backendTls()).isNull();
    }

    @Test
    void missingPoolHbaAndBadPoolPasswdAreNamed(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("pgpool.conf");
        Files.writeString(conf, "backend_hostname0 = '127.0.0.1'\nenable_pool_hba = on\n");
        Files.write(dir.resolve("pool_passwd"), List.of("x:AESabc"));
        PoolConfig config = PoolConfig.parse(Files.readString(conf), conf.toString());
        assertThatThrownBy(() -> ProxySecurity.load(vertx, config, null).await(60, TimeUnit.SECONDS))
                .isInstanceOf(AuthFileException.class).hasMessageContaining("cannot read pool_hba.conf");
        Files.write(dir.resolve("hba"), List.of("local all all trust"));
        assertThatThrownBy(() -> ProxySecurity.load(vertx, config, dir.resolve("hba")).await(60, TimeUnit.SECONDS))
                .isInstanceOf(AuthFileException.class)
                .hasMessage(dir.resolve("pool_passwd") + ":1: user \"x\": AES-encrypted password has 2 bytes,"
                        + " not a whole number of AES blocks; was it cut short?");
        // pool_passwd is read whenever it exists, as pgpool reads it, even when no client auth uses it
        Files.writeString(conf, "backend_hostname0 = '127.0.0.1'\n");
        PoolConfig passThrough = PoolConfig.parse(Files.readString(conf), conf.toString());
        assertThatThrownBy(() -> ProxySecurity.load(vertx, passThrough, null).await(60, TimeUnit.SECONDS))
                .isInstanceOf(AuthFileException.class).hasMessageStartingWith(dir.resolve("pool_passwd") + ":1: ");
        Files.write(dir.resolve("pool_passwd"), List.of("x:TEXTsecret"));
        assertThat(ProxySecurity.load(vertx, passThrough, null)
                .await(60, TimeUnit.SECONDS).authenticator()).isInstanceOf(TrustPassThroughAuthenticator.class);
        Files.delete(dir.resolve("pool_passwd"));
        assertThat(ProxySecurity.load(vertx, passThrough, null)
                .await(60, TimeUnit.SECONDS).authenticator()).as("a missing file is no problem without client auth")
                .isInstanceOf(TrustPassThroughAuthenticator.class);
    }

    /** What the launcher checks before a start and a reload: every problem of both files at once. */
    @Test
    void authFilesListEveryProblemOfBothFiles(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("pgpool.conf");
        Files.writeString(conf, "backend_hostname0 = '127.0.0.1'\n");
        Files.write(dir.resolve("pool_passwd"), List.of("# users", "alice:TEXTa", "no colon here", ":TEXTb", "alice:md5zz"));
        PoolConfig passThrough = PoolConfig.parse(Files.readString(conf), conf.toString());
        String passwd = dir.resolve("pool_passwd").toString();
        assertThat(AuthFiles.problems(passThrough, null)).containsExactly(
                passwd + ":3: expected user:password",
                passwd + ":4: empty user name",
                passwd + ":5: user \"alice\" is listed twice");

        Files.writeString(conf, "backend_hostname0 = '127.0.0.1'\nenable_pool_hba = on\npool_passwd = 'nowhere'\n");
        Files.write(dir.resolve("pool_hba.conf"), List.of("host all all 127.0.0.1/32 ident"));
        List<String> both = AuthFiles.problems(PoolConfig.parse(Files.readString(conf), conf.toString()), null);
        assertThat(both).hasSize(2);
        assertThat(both.get(0)).startsWith(dir.resolve("nowhere") + ": cannot read pool_passwd");
        assertThat(both.get(1)).startsWith(dir.resolve("pool_hba.conf") + ":1: ");

        Files.writeString(conf, "backend_hostname0 = '127.0.0.1'\npool_passwd = ''\n");
        assertThat(AuthFiles.problems(PoolConfig.parse(Files.readString(conf), conf.toString()), null)).isEmpty();
    }
}
