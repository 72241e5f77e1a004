package org.vxpool.proxy.txpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vxpool.proxy.txpool.TxFixture.value;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.show.BackendStatsRows;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/**
 * SHOW pool_backend_stats with {@code pool_mode = transaction}: two JDBC clients share one pooled
 * connection per node ({@code default_pool_size = 1}), so vxpool replays one client's SET on it
 * before each of that client's transactions and undoes it for the other. Those hidden statements
 * must not count; the client's own statements count once, on the node that ran them.
 */
class TxPoolBackendStatsTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1));
    @TempDir
    static Path dir;
    static ProxyFixture plain;
    static ProxyFixture balanced;

    @BeforeAll
    static void start() throws Exception {
        plain = TxFixture.start(PG.cluster(), Files.createDirectory(dir.resolve("plain")),
                "default_pool_size = 1\nload_balance_mode = off\n", 1, 1);
        balanced = TxFixture.start(PG.cluster(), Files.createDirectory(dir.resolve("balanced")),
                "default_pool_size = 1\nload_balance_mode = on\n", 0, 1);
    }

    @AfterAll
    static void stop() {
        if (plain != null) {
            plain.close();
        }
        if (balanced != null) {
            balanced.close();
        }
    }

    private static Connection connect(ProxyFixture proxy) throws SQLException {
        // start-up parameters in the StartupMessage: pgjdbc otherwise sends its own SET application_name
        return TxFixture.connect(proxy, PG.cluster(), "assumeMinServerVersion", "15");
    }

    /**
     * x: CREATE, INSERT, SET work_mem, SHOW (after y's), UPDATE, DELETE, BEGIN, SELECT, COMMIT, a
     * failing SELECT, DROP; y: SHOW, SELECT.
     */
    private static void mix(ProxyFixture proxy, String table) throws SQLException {
        try (Connection x = connect(proxy); Connection y = connect(proxy);
                Statement sx = x.createStatement(); Statement sy = y.createStatement()) {
            String initial = value(y, "SHOW work_mem");
            sx.execute("CREATE TABLE " + table + " (id int)");
            sx.execute("INSERT INTO " + table + " VALUES (1), (2), (3)");
            sx.execute("SET work_mem = '7MB'");
            // the shared connection had x's setting undone for y, and set again for x: hidden statements
            assertThat(value(y, "SHOW work_mem")).isEqualTo(initial);
            assertThat(value(x, "SHOW work_mem")).isEqualTo("7MB");
            assertThat(sx.executeUpdate("UPDATE " + table + " SET id = 10 WHERE id = 1")).isEqualTo(1);
            assertThat(sx.executeUpdate("DELETE FROM " + table + " WHERE id = 2")).isEqualTo(1);
            sx.execute("BEGIN");
            sx.executeQuery("SELECT 2").close();
            sx.execute("COMMIT");
            assertThatThrownBy(() -> sx.executeQuery("SELECT * FROM bstats_no_such_table")).hasMessageContaining("does not exist");
            sy.executeQuery("SELECT 1").close();
            sx.execute("DROP TABLE " + table);
        }
    }

    @Test
    void withoutLoadBalancingTheClientsStatementsCountOnceOnThePrimary() throws Exception {
        Map<Integer, long[]> before = stats(plain);
        mix(plain, "bstats_tx_plain");
        Map<Integer, long[]> d = BackendStatsRows.delta(before, stats(plain));
        //                      select insert update delete ddl other panic fatal error
        assertCounts(d.get(0), 2, 1, 1, 1, 2, 6, 0, 0, 1);
        assertCounts(d.get(1), 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void withLoadBalancingReadsCountOnTheStandby() throws Exception {
        Map<Integer, long[]> before = stats(balanced);
        mix(balanced, "bstats_tx_lb");
        Map<Integer, long[]> d = BackendStatsRows.delta(before, stats(balanced));
        // SHOW is a read: the three of them run on the standby, on its one pooled connection, where
        // x's SET is replayed (hidden) before x's SHOW
        assertCounts(d.get(0), 1, 1, 1, 1, 2, 3, 0, 0, 0);
        assertCounts(d.get(1), 1, 0, 0, 0, 0, 3, 0, 0, 1);
    }

    @Test
    void aFatalHeldBackFromTheClientStillCounts() throws Exception {
        Map<Integer, long[]> before = stats(plain);
        try (Connection c = connect(plain); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT pg_terminate_backend(pg_backend_pid())"))
                    .isInstanceOf(SQLException.class);
        }
        Map<Integer, long[]> d = BackendStatsRows.delta(before, stats(plain));
        assertCounts(d.get(0), 0, 0, 0, 0, 0, 0, 0, 1, 0);
        assertCounts(d.get(1), 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private static Map<Integer, long[]> stats(ProxyFixture proxy) throws SQLException {
        try (Connection c = connect(proxy)) {
            Map<Integer, long[]> rows = BackendStatsRows.read(c);
            assertThat(rows.keySet()).containsExactly(0, 1);
            return rows;
        }
    }

    private static void assertCounts(long[] actual, long... expected) {
        assertThat(BackendStatsRows.describe(actual)).isEqualTo(BackendStatsRows.describe(expected));
    }
}
