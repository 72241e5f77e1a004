package org.vxpool.proxy.txpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vxpool.proxy.txpool.TxFixture.value;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.vxpool.common.config.ConfigReload;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/**
 * pool_mode = transaction behaves like session mode and PostgreSQL where it used not to:
 * log_statement and log_per_node_statement, a Parse of a statement name in use (42P05, compared
 * with PostgreSQL itself through pgproto), start-up ParameterStatus values refreshed from new
 * backend connections, and default_pool_size / pool_timeout applied on reload.
 */
class TransactionPoolingParityTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder());
    @TempDir
    static Path dir;
    static PgCluster pg;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        pg = PG.cluster();
        pg.primary().execute("CREATE DATABASE parity_db");
        proxy = TxFixture.start(pg, dir, "default_pool_size = 2\nlog_statement = on\nlog_per_node_statement = on\n");
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static Connection connect(String database, String... props) throws SQLException {
        return TxFixture.connectTo(proxy, pg, database, props);
    }

    /**
     * One node, so no balancing: plain statements skip classification (TxPolicyScreen). Statements
     * that start like plain ones but carry session state are still seen and refused, in both
     * protocols, and the client goes on.
     */
    @ParameterizedTest
    @ValueSource(strings = {"SELECT pg_advisory_lock(1)", "select set_config('work_mem', '8MB', false)",
        "SELECT 1 AS x INTO TEMP vx_parity_t", "SELECT 1; LISTEN vx_parity"})
    void withoutBalancingSessionStateBehindAPlainStartIsStillRefused(String sql) throws Exception {
        for (String mode : new String[] {"simple", "extended"}) {
            try (Connection c = connect("postgres", "preferQueryMode", mode)) {
                assertThatThrownBy(() -> c.createStatement().execute(sql)).as(mode).isInstanceOf(SQLException.class)
                        .hasMessageContaining("is not supported with pool_mode = transaction")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
                assertThat(value(c, "SELECT 'still here'")).as(mode).isEqualTo("still here");
            }
        }
    }

    @Test
    void statementsAreLoggedAndPerNodeAsInSessionMode() throws Exception {
        Logger sessions = (Logger) LoggerFactory.getLogger("org.vxpool.proxy.session");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        sessions.addAppender(lines);
        try (Connection simple = connect("postgres", "preferQueryMode", "simple");
             Connection extended = connect("postgres")) {
            assertThat(value(simple, "SELECT 41 + 1")).isEqualTo("42");
            try (PreparedStatement ps = extended.prepareStatement("SELECT 40 + 3")) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                }
            }
        } finally {
            sessions.detachAppender(lines);
        }
        List<String> logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(logged).containsOnlyOnce("statement: SELECT 41 + 1", "DB node id: 0 statement: SELECT 41 + 1",
                "statement: SELECT 40 + 3", "DB node id: 0 statement: SELECT 40 + 3");
    }

    /**
     * The same raw sequence through vxpool and straight to PostgreSQL: a Parse of a name in use
     * fails with 42P05 and the statement keeps its first text; an aborted transaction; a syntax
     * error checked before the name; the unnamed statement replaced silently; a Close followed by
     * a Parse of the same name in one batch.
     */
    @Test
    void aParseOfANameInUseFailsWith42P05AsInPostgreSQL() throws Exception {
        String[] seq = {
                "'P' \"x\" \"SELECT 1\" 0",
                "'S'",
                "'Y'",
                "'P' \"x\" \"SELECT generate_series(1, 2)\" 0",
                "'B' \"\" \"x\" 0 0 0",
                "'E' \"\" 0",
                "'S'",
                "'Y'",
                "'B' \"\" \"x\" 0 0 0",
                "'E' \"\" 0",
                "'S'",
                "'Y'",
                "'P' \"x\" \"SELEC 2\" 0",
                "'S'",
                "'Y'",
                "'Q' \"BEGIN\"",
                "'Y'",
                "'P' \"x\" \"SELECT 3\" 0",
                "'S'",
                "'Y'",
                "'Q' \"SELECT 4\"",
                "'Y'",
                "'Q' \"ROLLBACK\"",
                "'Y'",
                "'P' \"\" \"SELECT 5\" 0",
                "'P' \"\" \"SELECT generate_series(1, 3)\" 0",
                "'B' \"\" \"\" 0 0 0",
                "'E' \"\" 0",
                "'S'",
                "'Y'",
                "'C' 'S' \"x\"",
                "'P' \"x\" \"SELECT generate_series(1, 4)\" 0",
                "'B' \"\" \"x\" 0 0 0",
                "'E' \"\" 0",
                "'S'",
                "'Y'",
                "'X'"};
        List<String> direct = pgproto(pg.primary().port(), seq);
        assertThat(direct).contains("ErrorResponse C 42P05 M prepared statement \"x\" already exists",
                "CommandComplete(SELECT 1)", "CommandComplete(SELECT 3)", "CommandComplete(SELECT 4)");
        assertThat(pgproto(proxy.port, seq)).isEqualTo(direct);
    }

    /** pgproto's backend lines; an ErrorResponse keeps only its SQLSTATE and message. */
    private static List<String> pgproto(int port, String... lines) throws Exception {
        Path f = Files.createTempFile(dir, "pgproto", ".data");
        List<String> tabbed = java.util.Arrays.stream(lines).map(l -> l.replaceAll("(?<=['\"0-9]) (?=['\"0-9])", "\t")).toList();
        Files.writeString(f, String.join("\n", tabbed) + "\n");
        ProcessBuilder b = new ProcessBuilder("/usr/sbin/pgproto", "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-u", pg.user(), "-d", "postgres", "-f", f.toString()).redirectErrorStream(true);
        b.environment().put("PGPASSWORD", pg.password());
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Pattern error = Pattern.compile(" C (\\S+) M (.+?)(?= [A-Z] |\\s*\\)$)");
        List<String> got = new ArrayList<>();
        for (String l : out.lines().filter(l -> l.contains("<= BE")).toList()) {
            String m = l.substring(l.indexOf("<= BE") + 6);
            if (m.startsWith("ErrorResponse")) {
                Matcher e = error.matcher(m);
                m = e.find() ? "ErrorResponse C " + e.group(1) + " M " + e.group(2) : m;
            } else if (m.startsWith("ParameterStatus") || m.startsWith("NoticeResponse")) {
                continue;
            }
            got.add(m);
        }
        assertThat(got).as(out).isNotEmpty();
        return got;
    }

    /**
     * An {@code ALTER DATABASE ... SET} after the first login reaches clients that start once the
     * pool opened a new connection (IntervalStyle: the JDBC driver does not send it at start-up).
     */
    @Test
    void newBackendConnectionsRefreshTheStartUpParameterStatusValues() throws Exception {
        try (Connection first = connect("parity_db")) {
            assertThat(value(first, "SHOW intervalstyle")).isEqualTo("postgres");
            pg.primary().execute("ALTER DATABASE parity_db SET IntervalStyle = 'iso_8601'");
            try (Connection stale = connect("parity_db")) {
                // welcomed from the cache; its statement runs on the pooled connection of the first login
                assertThat(value(stale, "SHOW intervalstyle")).isEqualTo("postgres");
                first.setAutoCommit(false);
                value(first, "SELECT 1");
                // the only pooled connection is busy: a new one is opened, with the new default
                assertThat(value(stale, "SHOW intervalstyle")).as("a client keeps the value it was welcomed with").isEqualTo("postgres");
                first.commit();
            }
            try (Connection fresh = connect("parity_db")) {
                assertThat(value(fresh, "SHOW intervalstyle")).isEqualTo("iso_8601");
            }
        }
    }

    @Test
    void defaultPoolSizeAndPoolTimeoutApplyOnReload() throws Exception {
        Path own = Files.createDirectory(dir.resolve("reload"));
        try (ProxyFixture one = TxFixture.start(pg, own, "default_pool_size = 1\npool_timeout = 1000\n");
             Connection holder = TxFixture.connect(one, pg); Connection waiter = TxFixture.connect(one, pg)) {
            holder.setAutoCommit(false);
            value(holder, "SELECT 1");
            assertThatThrownBy(() -> value(waiter, "SELECT 2")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getMessage()).contains("pool_timeout (1000 ms): all 1 connections"));

            reload(one, own, "default_pool_size = 1\npool_timeout = 60000\n");
            CompletableFuture<String> queued = CompletableFuture.supplyAsync(() -> {
                try {
                    return value(waiter, "SELECT 3");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1500);
            assertThat(queued).as("waits past the old pool_timeout").isNotDone();
            reload(one, own, "default_pool_size = 2\npool_timeout = 60000\n");
            assertThat(queued.get(10, TimeUnit.SECONDS)).as("a larger pool serves its waiter at once").isEqualTo("3");

            reload(one, own, "default_pool_size = 1\npool_timeout = 300\n");
            // the idle second connection is used once more, then closed: the pool shrinks to one
            assertThat(value(waiter, "SELECT 4")).isEqualTo("4");
            assertThatThrownBy(() -> value(waiter, "SELECT 5")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getMessage()).contains("pool_timeout (300 ms): all 1 connections"));
            holder.commit();
            assertThat(value(waiter, "SELECT 6")).isEqualTo("6");
        }
    }

    private static void reload(ProxyFixture proxy, Path confDir, String poolSettings) throws Exception {
        Path file = confDir.resolve("pgpool.conf");
        String text = Files.readString(file).replaceAll("(?m)^(default_pool_size|pool_timeout) = .*\n", "") + poolSettings;
        Files.writeString(file, text);
        ConfigReload.publish(proxy.vertx, PoolConfig.parse(text, file.toString()));
        // applied on the proxy's event loop after pool_hba.conf and pool_passwd are read again
        Thread.sleep(700);
    }
}
