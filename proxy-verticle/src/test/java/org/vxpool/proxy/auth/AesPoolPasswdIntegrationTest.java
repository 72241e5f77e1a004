package org.vxpool.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.util.PSQLException;
import org.vxpool.common.config.AesPasswords;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.config.PoolKey;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.ProxySettings;
import org.vxpool.proxy.ProxyVerticle;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/**
 * A pgpool user's pool_passwd made with {@code pg_enc -m} (the real one when pgpool2 is
 * installed): every entry is AES, the key is a {@code .pgpoolkey} named by {@code -k} (the
 * launcher's {@link PoolKey#PROPERTY}), and clients log in through vxpool with scram-sha-256, md5
 * and password to a real PostgreSQL 15 whose users have SCRAM passwords.
 */
class AesPoolPasswdIntegrationTest {
    private static final Path PG_ENC = Path.of("/usr/sbin/pg_enc");
    private static final List<String> HBA = List.of(
            "host all u_scram 127.0.0.1/32 scram-sha-256",
            "host all u_md5   127.0.0.1/32 md5",
            "host all u_text  127.0.0.1/32 password");

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder()
            .user("u_scram", "scram pw:1", PasswordEncryption.SCRAM_SHA_256, false)
            .user("u_md5", "md5-pässword", PasswordEncryption.SCRAM_SHA_256, false)
            .user("u_text", "text-pw", PasswordEncryption.SCRAM_SHA_256, false));
    @TempDir
    static Path dir;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        PgCluster pg = PG.cluster();
        Path key = dir.resolve(".pgpoolkey");
        Files.writeString(key, "a migrated pgpool key\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Files.write(dir.resolve("pool_hba.conf"), HBA);
        Path conf = dir.resolve("pgpool.conf");
        Files.writeString(conf, "backend_hostname0 = '127.0.0.1'\nbackend_port0 = " + pg.primary().port() + "\n"
                + "listen_addresses = '127.0.0.1'\nport = " + ProxyFixture.freePort() + "\n"
                + "enable_pool_hba = on\npool_passwd = 'pool_passwd'\n");
        Files.writeString(dir.resolve("pool_passwd"), "");
        encrypt(conf, key, "u_scram", "scram pw:1");
        encrypt(conf, key, "u_md5", "md5-pässword");
        encrypt(conf, key, "u_text", "text-pw");
        assertThat(Files.readAllLines(dir.resolve("pool_passwd"))).hasSize(3).allMatch(l -> l.contains(":AES"));

        PoolConfig config = PoolConfig.parse(Files.readString(conf), conf.toString());
        System.setProperty(PoolKey.PROPERTY, key.toString());
        try {
            proxy = ProxyFixture.start(ProxyFixture.view(pg), s -> ProxySettings.from(config), 2,
                    s -> new ProxyVerticle(config));
        } finally {
            System.clearProperty(PoolKey.PROPERTY);
        }
    }

    /** {@code pg_enc -m -f pgpool.conf -k key -u user password}, else the same line written by vxpool. */
    private static void encrypt(Path conf, Path key, String user, String password) throws Exception {
        if (!Files.isExecutable(PG_ENC)) {
            Files.writeString(dir.resolve("pool_passwd"), user + ":"
                    + AesPasswords.encrypt(password, "a migrated pgpool key") + "\n", StandardOpenOption.APPEND);
            return;
        }
        Process p = new ProcessBuilder(PG_ENC.toString(), "-m", "-f", conf.toString(), "-k", key.toString(),
                "-u", user, password).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static Connection connect(String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("sslmode", "disable");
        p.setProperty("connectTimeout", "20");
        p.setProperty("socketTimeout", "60");
        return DriverManager.getConnection(proxy.jdbcUrl("postgres"), p);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"u_scram, scram pw:1", "u_md5, md5-pässword", "u_text, text-pw"})
    void anAesEntryLogsInLikeATextEntry(String user, String password) throws Exception {
        try (Connection c = connect(user, password);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_user, 40 + 2")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(user);
            assertThat(rs.getInt(2)).isEqualTo(42);
        }
        assertThatThrownBy(() -> connect(user, password + "x").close())
                .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
    }
}
