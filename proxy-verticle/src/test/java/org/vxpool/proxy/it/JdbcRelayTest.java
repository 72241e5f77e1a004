package org.vxpool.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/** Everything a JDBC client does, through vxpool to a real PostgreSQL primary. */
class JdbcRelayTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder()
            .user("trusty", null, PasswordEncryption.NONE, true)
            .user("md5user", "md5-pw", PasswordEncryption.MD5, false));

    static ProxyFixture proxy;

    @BeforeAll
    static void startProxy() {
        proxy = ProxyFixture.start(PG.cluster(), s -> s, 2);
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    static Connection connect() throws SQLException {
        return connect(PG.cluster().user(), PG.cluster().password(), "");
    }

    static Connection connect(String user, String password, String urlParams) throws SQLException {
        return DriverManager.getConnection(proxy.jdbcUrl("postgres") + urlParams, user, password);
    }

    @Test
    void plainAndMultiStatementQueries() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertThat(st.execute("SELECT 1 AS a; SELECT 'two' AS b; CREATE TEMP TABLE m(x int); INSERT INTO m VALUES (1),(2)"))
                    .isTrue();
            try (ResultSet rs = st.getResultSet()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            assertThat(st.getMoreResults()).isTrue();
            try (ResultSet rs = st.getResultSet()) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("two");
            }
            assertThat(st.getMoreResults()).isFalse();
            st.getUpdateCount();
            assertThat(st.getMoreResults()).isFalse();
            assertThat(st.getUpdateCount()).isEqualTo(2);
            st.execute("");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM m")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void serverPreparedStatementsAfterThreshold() throws Exception {
        try (Connection c = connect(PG.cluster().user(), PG.cluster().password(), "?prepareThreshold=2");
             PreparedStatement ps = c.prepareStatement("SELECT ?::int * 2, ?::text || 'x'")) {
            for (int i = 0; i < 8; i++) {
                ps.setInt(1, i);
                ps.setString(2, "v" + i);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(2 * i);
                    assertThat(rs.getString(2)).isEqualTo("v" + i + "x");
                }
            }
            assertThat(ps.unwrap(org.postgresql.PGStatement.class).isUseServerPrepare()).isTrue();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_prepared_statements")) {
                rs.next();
                assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(1);
            }
        }
    }

    @Test
    void batchesAndTransactionsWithSavepoints() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS batch_t; CREATE TABLE batch_t(id int primary key, v text)");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO batch_t VALUES (?, ?)")) {
                for (int i = 0; i < 500; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "row" + i);
                    ps.addBatch();
                }
                assertThat(ps.executeBatch()).hasSize(500);
            }
            Savepoint sp = c.setSavepoint();
            assertThatThrownBy(() -> st.execute("INSERT INTO batch_t VALUES (1, 'dup')"))
                    .isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23505");
            c.rollback(sp);
            st.execute("INSERT INTO batch_t VALUES (1000, 'after savepoint')");
            c.commit();
            c.setAutoCommit(true);
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM batch_t")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(501);
            }
        }
    }

    @Test
    void largeObjectsUseFunctionCall() throws Exception {
        byte[] data = new byte[300_000];
        new Random(3).nextBytes(data);
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            org.postgresql.largeobject.LargeObjectManager lom = c.unwrap(PGConnection.class).getLargeObjectAPI();
            long oid = lom.createLO();
            try (org.postgresql.largeobject.LargeObject lo = lom.open(oid, org.postgresql.largeobject.LargeObjectManager.WRITE)) {
                lo.write(data);
            }
            try (org.postgresql.largeobject.LargeObject lo = lom.open(oid, org.postgresql.largeobject.LargeObjectManager.READ)) {
                assertThat(lo.read(data.length)).isEqualTo(data);
            }
            lom.delete(oid);
            c.commit();
        }
    }

    @Test
    void errorInsideABatch() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS batch_err; CREATE TABLE batch_err(id int primary key)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO batch_err VALUES (?)")) {
                for (int id : new int[] {1, 2, 2, 3}) {
                    ps.setInt(1, id);
                    ps.addBatch();
                }
                assertThatThrownBy(ps::executeBatch).isInstanceOf(java.sql.BatchUpdateException.class)
                        .hasMessageContaining("duplicate key");
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM batch_err")) {
                rs.next();
                assertThat(rs.getInt(1)).as("autocommit batch ran up to the error").isBetween(0, 2);
            }
            assertThat(c.unwrap(BaseConnection.class).getTransactionState().name()).isEqualTo("IDLE");
        }
    }

    @Test
    void errorInsideTransactionKeepsItAborted() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("SELECT 1");
            assertThatThrownBy(() -> st.execute("SELECT * FROM no_such_table"))
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42P01");
            assertThatThrownBy(() -> st.execute("SELECT 1"))
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25P02");
            c.rollback();
            try (ResultSet rs = st.executeQuery("SELECT 7")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(7);
            }
            c.commit();
        }
    }

    @Test
    void copyInAndOutOfSeveralMegabytes() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 60_000; i++) {
            sb.append(i).append('\t').append("some text payload for line ").append(i).append(" ").append("x".repeat(40)).append('\n');
        }
        byte[] data = sb.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(data.length).isGreaterThan(4_000_000);
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS copy_t; CREATE TABLE copy_t(id int, v text)");
            CopyManager cm = c.unwrap(PGConnection.class).getCopyAPI();
            long in = cm.copyIn("COPY copy_t FROM STDIN", new ByteArrayInputStream(data));
            assertThat(in).isEqualTo(60_000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long outRows = cm.copyOut("COPY (SELECT * FROM copy_t ORDER BY id) TO STDOUT", out);
            assertThat(outRows).isEqualTo(60_000);
            assertThat(out.toByteArray()).isEqualTo(data);
            assertThatThrownBy(() -> cm.copyIn("COPY copy_t FROM STDIN", new ByteArrayInputStream("not-a-number\tx\n".getBytes())))
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22P02");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM copy_t")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(60_000);
            }
        }
    }

    @Test
    void largeByteaBothWays() throws Exception {
        byte[] blob = new byte[24 * 1024 * 1024];
        new Random(7).nextBytes(blob);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(blob));
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS blob_t; CREATE TABLE blob_t(id int, b bytea)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO blob_t VALUES (1, ?)")) {
                ps.setBytes(1, blob);
                ps.executeUpdate();
            }
            try (ResultSet rs = st.executeQuery("SELECT md5(b), b FROM blob_t WHERE id = 1")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(md5);
                assertThat(rs.getBytes(2)).isEqualTo(blob);
            }
        }
    }

    @Test
    void fetchSizeCursorSuspendsPortals() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.setFetchSize(100);
            long sum = 0;
            int rows = 0;
            try (ResultSet rs = st.executeQuery("SELECT g FROM generate_series(1, 20000) g")) {
                while (rs.next()) {
                    sum += rs.getLong(1);
                    rows++;
                }
            }
            assertThat(rows).isEqualTo(20000);
            assertThat(sum).isEqualTo(20000L * 20001 / 2);
            c.commit();
        }
    }

    @Test
    void listenNotifyReachesTheListener() throws Exception {
        try (Connection listener = connect(); Connection notifier = connect();
             Statement ls = listener.createStatement(); Statement ns = notifier.createStatement()) {
            ls.execute("LISTEN vx_chan");
            ns.execute("NOTIFY vx_chan, 'hello'");
            PGNotification[] got = listener.unwrap(PGConnection.class).getNotifications(10_000);
            assertThat(got).isNotNull().hasSize(1);
            assertThat(got[0].getName()).isEqualTo("vx_chan");
            assertThat(got[0].getParameter()).isEqualTo("hello");
        }
    }

    @Test
    void noticesAndParameterStatusChangesAreRelayed() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DO $$ BEGIN RAISE NOTICE 'vx notice'; END $$");
            assertThat(st.getWarnings() != null).as("a warning arrived").isTrue();
            assertThat(st.getWarnings().getMessage()).contains("vx notice");
            st.execute("SET application_name = 'changed-app'");
            BaseConnection bc = c.unwrap(BaseConnection.class);
            assertThat(bc.getParameterStatus("application_name")).isEqualTo("changed-app");
        }
    }

    @Test
    void statementCancelReachesTheBackend() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertCancelStopsASleepAndLeavesTheSessionUsable(st);
        }
    }

    /** JDBC's {@code Statement.cancel()} during {@code pg_sleep(30)}: 57014 soon, then the session works. */
    static void assertCancelStopsASleepAndLeavesTheSessionUsable(Statement st) throws Exception {
        CompletableFuture<Void> cancel = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(700);
                st.cancel();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> st.execute("SELECT pg_sleep(30)"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("57014");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(15);
        cancel.get(5, TimeUnit.SECONDS);
        try (ResultSet rs = st.executeQuery("SELECT 'still usable'")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("still usable");
        }
    }

    @Test
    void pgCancelBackendFromAnotherSession() throws Exception {
        try (Connection victim = connect(); Connection killer = connect(); Statement vs = victim.createStatement()) {
            int realPid;
            try (ResultSet rs = vs.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                realPid = rs.getInt(1);
            }
            CompletableFuture<Boolean> cancelled = CompletableFuture.supplyAsync(() -> {
                try (Statement ks = killer.createStatement()) {
                    for (int i = 0; i < 100; i++) {
                        try (ResultSet rs = ks.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + realPid
                                + " AND query LIKE '%pg_sleep(30)%' AND state = 'active'")) {
                            rs.next();
                            if (rs.getInt(1) == 1) {
                                try (ResultSet c = ks.executeQuery("SELECT pg_cancel_backend(" + realPid + ")")) {
                                    c.next();
                                    return c.getBoolean(1);
                                }
                            }
                        }
                        Thread.sleep(100);
                    }
                    return false;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThatThrownBy(() -> vs.execute("SELECT pg_sleep(30)"))
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("57014");
            assertThat(cancelled.get(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void backendKeyDataIsVxpoolsOwn() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            int realPid = rs.getInt(1);
            int shownPid = c.unwrap(PGConnection.class).getBackendPID();
            assertThat(shownPid).isNotEqualTo(realPid);
        }
    }

    @Test
    void passThroughAuthenticationScramAndMd5() throws Exception {
        try (Connection c = connect("md5user", "md5-pw", ""); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_user")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("md5user");
        }
        assertThatThrownBy(() -> connect("md5user", "wrong", "").close())
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("28P01");
        assertThatThrownBy(() -> connect(PG.cluster().user(), "wrong", "").close())
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("28P01");
        try (Connection c = connect(PG.cluster().user(), PG.cluster().password(), "?ApplicationName=scram-app");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('application_name')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("scram-app");
        }
    }

    @Test
    void trustUserGetsIn() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "trusty");
        try (Connection c = DriverManager.getConnection(proxy.jdbcUrl("postgres"), p); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_user")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("trusty");
        }
    }
}
