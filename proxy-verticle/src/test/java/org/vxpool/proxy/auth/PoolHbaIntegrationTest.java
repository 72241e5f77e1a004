package org.vxpool.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import org.vxpool.proxy.auth.message.AuthenticationRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.util.PSQLException;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.ProxySettings;
import org.vxpool.proxy.ProxyVerticle;
import org.vxpool.proxy.ssl.TestCertificates;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgOsUser;

/**
 * enable_pool_hba = on against a real PostgreSQL 15, with the real JDBC driver and psql: every
 * client-side method, every pool_passwd form, and vxpool's backend logins with what the client
 * exchange left (TEXT password, md5 hash, or the ClientKey of a SCRAM-only entry). vxpool and
 * PostgreSQL both run with ssl = on; plain clients use sslmode=disable.
 */
class PoolHbaIntegrationTest {
    @TempDir
    static Path dir;
    static PgCluster pg;
    static ProxyFixture proxy;
    static String scramVerifier;

    private static final List<String> HBA = List.of(
            "host    all       u_trust   127.0.0.1/32  trust",
            "host    rejectdb  all       127.0.0.1/32  reject",
            "host    all       u_text    127.0.0.1/32  password",
            "host    all       u_md5     127.0.0.1/32  md5",
            "host    all       u_plain   127.0.0.1/32  md5",
            "host    all       u_scram   127.0.0.1/32  scram-sha-256",
            "host    all       u_stale   127.0.0.1/32  scram-sha-256",
            "hostssl all       vxtest    127.0.0.1/32  scram-sha-256",
            "host    all       ghost     127.0.0.1/32  scram-sha-256");

    @BeforeAll
    static void start() throws Exception {
        // PostgreSQL runs as an unprivileged user: it must be able to reach its certificate.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Path pgCerts = Files.createDirectory(dir.resolve("pg-certs"));
        TestCertificates pgTls = TestCertificates.create(pgCerts);
        PgOsUser.get().own(pgCerts);
        PgOsUser.get().own(pgTls.key());
        PgOsUser.get().own(pgTls.cert());
        pg = PgCluster.builder()
                .user("u_trust", null, PasswordEncryption.NONE, false)
                .user("u_text", "text-pw", PasswordEncryption.SCRAM_SHA_256, false)
                .user("u_md5", "md5-pw", PasswordEncryption.MD5, false)
                .user("u_plain", "plain-pw", PasswordEncryption.MD5, false)
                .user("u_scram", "scram-pw", PasswordEncryption.SCRAM_SHA_256, false)
                .user("u_stale", "stale-pw", PasswordEncryption.SCRAM_SHA_256, false)
                .setting("ssl", "on")
                .setting("ssl_cert_file", "'" + pgTls.cert() + "'")
                .setting("ssl_key_file", "'" + pgTls.key() + "'")
                .start();
        scramVerifier = pg.primary().queryValue("SELECT rolpassword FROM pg_authid WHERE rolname = 'u_scram'");
        String md5 = pg.primary().queryValue("SELECT rolpassword FROM pg_authid WHERE rolname = 'u_md5'");
        Files.write(dir.resolve("pool_hba.conf"), HBA);
        Files.write(dir.resolve("pool_passwd"), List.of(
                "u_text:TEXTtext-pw",
                "u_md5:" + md5,
                "u_plain:plain-pw",
                "u_scram:" + scramVerifier,
                // Same password, but not copied from pg_authid: another salt than the backend's.
                "u_stale:" + ScramVerifier.fromPassword("stale-pw", new byte[16], 4096).encode(),
                "vxtest:TEXT" + PgCluster.DEFAULT_PASSWORD));
        TestCertificates vxTls = TestCertificates.create(Files.createDirectory(dir.resolve("vx-certs")));
        // The launcher's path: ProxyVerticle(config) per event loop, files loaded once.
        PoolConfig config = config("pgpool.conf", "enable_pool_hba = on\npool_passwd = 'pool_passwd'\n"
                + "ssl = on\nssl_cert = '" + vxTls.cert() + "'\nssl_key = '" + vxTls.key() + "'\n");
        proxy = ProxyFixture.start(ProxyFixture.view(pg), s -> ProxySettings.from(config), 2,
                s -> new ProxyVerticle(config));
    }

    /** A pgpool.conf in the test directory with the cluster's primary and a free port. */
    private static PoolConfig config(String name, String settings) throws Exception {
        Path conf = dir.resolve(name);
        Files.writeString(conf, "backend_hostname0 = '127.0.0.1'\nbackend_port0 = " + pg.primary().port() + "\n"
                + "listen_addresses = '127.0.0.1'\nport = " + ProxyFixture.freePort() + "\n" + settings);
        return PoolConfig.parse(Files.readString(conf), conf.toString());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    private static Connection connect(String user, String password, String database, String sslmode)
            throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("sslmode", sslmode);
        p.setProperty("connectTimeout", "20");
        p.setProperty("socketTimeout", "60");
        return DriverManager.getConnection(proxy.jdbcUrl(database), p);
    }

    private static List<String> row(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.add(rs.getString(i));
            }
            return row;
        }
    }

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource({
        "u_trust, '',        trust: no pool_passwd entry; backend trusts",
        "u_text,  text-pw,   password: TEXT entry; backend SCRAM with the password",
        "u_md5,   md5-pw,    md5: md5 entry; backend md5 with the hash",
        "u_plain, plain-pw,  md5: plain entry; backend md5 with the password",
        "u_scram, scram-pw,  scram-sha-256: SCRAM-only entry; backend SCRAM with the recovered ClientKey",
    })
    void everyMethodAndPoolPasswdFormLogsInAndReachesTheBackendAsThatUser(String user, String password, String why)
            throws Exception {
        try (Connection c = connect(user, password, "postgres", "disable")) {
            assertThat(row(c, "SELECT current_user, 40 + 2")).containsExactly(user, "42");
        }
    }

    @Test
    void scramOnlyEntryReusesPooledBackendConnections() throws Exception {
        // Pools are per event loop (two here), and a closed session's connection goes back to its
        // pool only after the reset query, which a fast next client can overtake on a loaded
        // machine. Without pooling eight sequential clients would meet eight backends; with it most
        // of them meet a pooled one, each authenticating against vxpool only.
        java.util.Set<String> pids = new java.util.HashSet<>();
        for (int i = 0; i < 8; i++) {
            try (Connection c = connect("u_scram", "scram-pw", "postgres", "disable")) {
                List<String> r = row(c, "SELECT pg_backend_pid(), current_user");
                assertThat(r.get(1)).isEqualTo("u_scram");
                pids.add(r.get(0));
            }
        }
        assertThat(pids.size()).isLessThanOrEqualTo(4);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
        "u_text, wrong", "u_md5, wrong", "u_plain, wrong", "u_scram, wrong", "ghost, whatever",
    })
    void wrongPasswordAndUnknownUserGetExactly28P01(String user, String password) {
        assertThatThrownBy(() -> connect(user, password, "postgres", "disable").close())
                .isInstanceOfSatisfying(PSQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("28P01");
                    assertThat(e.getServerErrorMessage().getMessage())
                            .isEqualTo("password authentication failed for user \"" + user + "\"");
                    assertThat(e.getServerErrorMessage().getDetail()).isNull();
                });
    }

    @Test
    void hbaRejectAndMissingEntryGet28000() {
        assertThatThrownBy(() -> connect("u_scram", "scram-pw", "rejectdb", "disable").close())
                .isInstanceOfSatisfying(PSQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("28000");
                    assertThat(e.getServerErrorMessage().getMessage()).isEqualTo("pool_hba.conf rejects connection"
                            + " for host \"127.0.0.1\", user \"u_scram\", database \"rejectdb\", no encryption");
                });
        // vxtest has only a hostssl line: a plain connection matches nothing.
        assertThatThrownBy(() -> connect("vxtest", PgCluster.DEFAULT_PASSWORD, "postgres", "disable").close())
                .isInstanceOfSatisfying(PSQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("28000");
                    assertThat(e.getServerErrorMessage().getMessage()).isEqualTo("no pool_hba.conf entry"
                            + " for host \"127.0.0.1\", user \"vxtest\", database \"postgres\", no encryption");
                });
    }

    @Test
    void jdbcSslModeRequireIsEncryptedOnBothLegs() throws Exception {
        try (Connection c = connect("vxtest", PgCluster.DEFAULT_PASSWORD, "postgres", "require")) {
            // pg_stat_ssl shows vxpool's own connection to PostgreSQL: TLS too (ssl = on).
            assertThat(row(c, "SELECT current_user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
                    .containsExactly("vxtest", "t");
        }
    }

    @Test
    void concurrentTlsClientsAllGetIn() throws Exception {
        // Both verticle instances upgrade sockets at the same time (the port-sharing path).
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    try (Connection c = connect(n % 2 == 0 ? "vxtest" : "u_scram",
                            n % 2 == 0 ? PgCluster.DEFAULT_PASSWORD : "scram-pw", "postgres", "require")) {
                        return row(c, "SELECT " + n).get(0);
                    }
                }));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(String.valueOf(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void psqlWithSslModeRequire() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(pg.binaries().tool("psql"), "-X", "-A", "-t", "-h", "127.0.0.1",
                "-p", String.valueOf(proxy.port), "-U", "vxtest", "-d", "postgres",
                "-c", "SELECT 'ok', ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                .redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", PgCluster.DEFAULT_PASSWORD);
        pb.environment().put("PGSSLMODE", "require");
        pb.environment().put("PGCONNECT_TIMEOUT", "20");
        Process p = pb.start();
        // vxtest has only a hostssl line in pool_hba.conf, so getting in proves the client leg is TLS.
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes()).strip()).isEqualTo("ok|t");
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void psqlPlainIsRefusedByTheHostsslLine() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(pg.binaries().tool("psql"), "-X", "-A", "-t", "-h", "127.0.0.1",
                "-p", String.valueOf(proxy.port), "-U", "vxtest", "-d", "postgres", "-c", "SELECT 1")
                .redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", PgCluster.DEFAULT_PASSWORD);
        pb.environment().put("PGSSLMODE", "disable");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes())).contains("FATAL:  no pool_hba.conf entry for host"
                + " \"127.0.0.1\", user \"vxtest\", database \"postgres\", no encryption");
        assertThat(p.exitValue()).isEqualTo(2);
    }

    /** The client's first wire message after an Authentication request, from a libpq-like client. */
    private static Buffer answer(org.vxpool.proxy.protocol.Frame request, BackendAuthExchange client) {
        return client.onRequest(AuthenticationRequest.of(
                org.vxpool.proxy.protocol.Authentication.decode(request.body()))).orElseThrow();
    }

    @Test
    void md5ResponseReplayedUnderAnotherSaltIsRejected() throws Exception {
        String hash = Md5Auth.encrypt("md5-pw", "u_md5");
        Buffer replay;
        try (WireClient first = new WireClient(proxy.port, "u_md5", "postgres")) {
            var request = (AuthenticationRequest.Md5Password) AuthenticationRequest.of(
                    org.vxpool.proxy.protocol.Authentication.decode(first.read().body()));
            replay = org.vxpool.proxy.protocol.PasswordMessage.ofPassword(
                    Md5Auth.saltedResponse(hash, request.salt())).encode();
            first.send(replay.copy());
            assertThat(first.read().type()).isEqualTo((byte) 'R'); // AuthenticationOk
        }
        try (WireClient second = new WireClient(proxy.port, "u_md5", "postgres")) {
            assertThat(second.read().type()).isEqualTo((byte) 'R');
            second.send(replay);
            var error = second.read();
            assertThat(error.type()).isEqualTo((byte) 'E');
            assertThat(WireClient.sqlState(error)).isEqualTo("28P01");
        }
    }

    @Test
    void tamperedScramProofIsRejected() throws Exception {
        try (WireClient c = new WireClient(proxy.port, "u_scram", "postgres")) {
            BackendAuthExchange libpq = new BackendAuthExchange("u_scram",
                    new LoginSecret.Password("scram-pw".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    new java.security.SecureRandom());
            c.send(answer(c.read(), libpq));          // SASLInitialResponse
            Buffer clientFinal = answer(c.read(), libpq); // SASLResponse
            // Change one base64 character well inside the proof; the frame stays well-formed.
            int at = clientFinal.length() - 10;
            clientFinal.setByte(at, (byte) (clientFinal.getByte(at) == 'A' ? 'B' : 'A'));
            c.send(clientFinal);
            var error = c.read();
            assertThat(error.type()).isEqualTo((byte) 'E');
            assertThat(WireClient.sqlState(error)).isEqualTo("28P01");
        }
    }

    @Test
    void scramEntryWithAnotherSaltThanTheBackendFailsLikeAWrongPassword() {
        assertThatThrownBy(() -> connect("u_stale", "stale-pw", "postgres", "disable").close())
                .isInstanceOfSatisfying(PSQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("28P01");
                    assertThat(e.getServerErrorMessage().getMessage())
                            .isEqualTo("password authentication failed for user \"u_stale\"");
                });
    }

    @Test
    void allowClearTextFrontendAuthLogsInWithTheClientsPassword() throws Exception {
        PoolConfig config = config("cleartext.conf",
                "enable_pool_hba = off\nallow_clear_text_frontend_auth = on\npool_passwd = ''\n");
        try (ProxyFixture clear = ProxyFixture.start(ProxyFixture.view(pg), s -> ProxySettings.from(config), 1,
                s -> new ProxyVerticle(config))) {
            Properties p = new Properties();
            p.setProperty("user", "u_scram");
            p.setProperty("password", "scram-pw");
            p.setProperty("sslmode", "disable");
            try (Connection c = DriverManager.getConnection(clear.jdbcUrl("postgres"), p)) {
                assertThat(row(c, "SELECT current_user")).containsExactly("u_scram");
            }
            p.setProperty("password", "wrong");
            assertThatThrownBy(() -> DriverManager.getConnection(clear.jdbcUrl("postgres"), p).close())
                    .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        }
    }

    @Test
    void derivedVerifierMatchesPostgres() {
        ScramVerifier stored = ScramVerifier.parse(scramVerifier).orElseThrow();
        assertThat(ScramVerifier.fromPassword("scram-pw", stored.salt(), stored.iterations())).isEqualTo(stored);
    }
}
