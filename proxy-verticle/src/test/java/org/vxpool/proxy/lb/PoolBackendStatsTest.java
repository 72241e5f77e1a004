package org.vxpool.proxy.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vxpool.proxy.lb.LbFixture.connect;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.common.config.DisableLoadBalanceOnWrite;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.routing.RoutingSettings;
import org.vxpool.proxy.show.BackendStatsRows;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.ProcessResult;

/**
 * SHOW pool_backend_stats in session mode, with real JDBC and psql clients: one proxy without load
 * balancing (everything on the primary) and one that balances every read to the standby (weights
 * 0 and 1), each fed the same mix of statements; the counts must grow by exactly the mix.
 */
class PoolBackendStatsTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1)
            .user(LbFixture.USER, null, PasswordEncryption.NONE, true));

    /** Start-up parameters in the StartupMessage: pgjdbc otherwise sends its own SET application_name per connection. */
    static final String JDBC = "?assumeMinServerVersion=15";

    static ProxyFixture plain;
    static ProxyFixture balanced;

    @BeforeAll
    static void start() {
        plain = LbFixture.start(LbFixture.view(PG.cluster(), 1, 1), routing(false));
        balanced = LbFixture.start(LbFixture.view(PG.cluster(), 0, 1), routing(true));
    }

    private static RoutingSettings routing(boolean loadBalance) {
        return new RoutingSettings(loadBalance, false, DisableLoadBalanceOnWrite.TRANSACTION, false, false, true, 1_000_000, 0,
                false, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    @AfterAll
    static void stop() {
        plain.close();
        balanced.close();
    }

    /**
     * The mix over JDBC (extended protocol): 3 SELECTs (one inside BEGIN/COMMIT), 1 INSERT, 1
     * UPDATE, 1 DELETE, CREATE and DROP TABLE, SET, BEGIN, COMMIT, and a SELECT that fails.
     */
    private static void jdbcMix(ProxyFixture proxy, String table) throws SQLException {
        try (Connection c = connect(proxy, JDBC); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id int)");
            st.execute("INSERT INTO " + table + " VALUES (1), (2), (3)");
            assertThat(st.executeUpdate("UPDATE " + table + " SET id = 10 WHERE id = 1")).isEqualTo(1);
            assertThat(st.executeUpdate("DELETE FROM " + table + " WHERE id = 2")).isEqualTo(1);
            st.execute("SET application_name = 'bstats'");
            st.executeQuery("SELECT 1").close();
            st.executeQuery("SELECT * FROM generate_series(1, 3)").close();
            st.execute("BEGIN");
            st.executeQuery("SELECT 2").close();
            st.execute("COMMIT");
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM bstats_no_such_table")).hasMessageContaining("does not exist");
            st.execute("DROP TABLE " + table);
        }
    }

    /** The mix over psql (simple protocol), with a two-statement Query: INSERT and UPDATE in one message. */
    private static void psqlMix(ProxyFixture proxy, String table) {
        ProcessResult r = PG.cluster().primary().psqlCommand("-h", "127.0.0.1", "-p", String.valueOf(proxy.port),
                "-U", LbFixture.USER, "-d", "postgres",
                "-c", "CREATE TABLE " + table + " (id int)",
                "-c", "INSERT INTO " + table + " VALUES (1), (2), (3)",
                "-c", "UPDATE " + table + " SET id = 10 WHERE id = 1",
                "-c", "DELETE FROM " + table + " WHERE id = 2",
                "-c", "SET application_name = 'bstats'",
                "-c", "SELECT 1",
                "-c", "SELECT * FROM generate_series(1, 3)",
                "-c", "BEGIN",
                "-c", "SELECT 2",
                "-c", "COMMIT",
                "-c", "SELECT * FROM bstats_no_such_table",
                "-c", "INSERT INTO " + table + " VALUES (4); UPDATE " + table + " SET id = 5 WHERE id = 4",
                "-c", "DROP TABLE " + table);
        assertThat(r.stderr()).contains("bstats_no_such_table\" does not exist");
        assertThat(r.stdout()).contains("DROP TABLE");
    }

    @Test
    void withoutLoadBalancingEverythingCountsOnThePrimary() throws Exception {
        Map<Integer, long[]> before = stats(plain);
        jdbcMix(plain, "bstats_plain_jdbc");
        Map<Integer, long[]> afterJdbc = stats(plain);
        Map<Integer, long[]> d = BackendStatsRows.delta(before, afterJdbc);
        //                      select insert update delete ddl other panic fatal error
        assertCounts(d.get(0), 3, 1, 1, 1, 2, 3, 0, 0, 1);
        assertCounts(d.get(1), 0, 0, 0, 0, 0, 0, 0, 0, 0);

        psqlMix(plain, "bstats_plain_psql");
        d = BackendStatsRows.delta(afterJdbc, stats(plain));
        assertCounts(d.get(0), 3, 2, 2, 1, 2, 3, 0, 0, 1);
        assertCounts(d.get(1), 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void withLoadBalancingReadsCountOnTheStandby() throws Exception {
        Map<Integer, long[]> before = stats(balanced);
        jdbcMix(balanced, "bstats_lb_jdbc");
        Map<Integer, long[]> afterJdbc = stats(balanced);
        Map<Integer, long[]> d = BackendStatsRows.delta(before, afterJdbc);
        // writes, DDL and the transaction on the primary; the SET on both nodes, as pgpool sends it to
        // each; the two reads outside the transaction and the failing one on the standby
        assertCounts(d.get(0), 1, 1, 1, 1, 2, 3, 0, 0, 0);
        assertCounts(d.get(1), 2, 0, 0, 0, 0, 1, 0, 0, 1);

        psqlMix(balanced, "bstats_lb_psql");
        d = BackendStatsRows.delta(afterJdbc, stats(balanced));
        assertCounts(d.get(0), 1, 2, 2, 1, 2, 3, 0, 0, 0);
        assertCounts(d.get(1), 2, 0, 0, 0, 0, 1, 0, 0, 1);
    }

    @Test
    void aFatalFromTheBackendCountsAsFatal() throws Exception {
        Map<Integer, long[]> before = stats(plain);
        try (Connection c = connect(plain, JDBC); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT pg_terminate_backend(pg_backend_pid())"))
                    .hasMessageContaining("terminating connection due to administrator command");
        }
        Map<Integer, long[]> d = BackendStatsRows.delta(before, stats(plain));
        assertCounts(d.get(0), 0, 0, 0, 0, 0, 0, 0, 1, 0);
        assertCounts(d.get(1), 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private static Map<Integer, long[]> stats(ProxyFixture proxy) throws SQLException {
        try (Connection c = connect(proxy, JDBC)) {
            Map<Integer, long[]> rows = BackendStatsRows.read(c);
            assertThat(rows.keySet()).containsExactly(0, 1);
            return rows;
        }
    }

    static void assertCounts(long[] actual, long... expected) {
        assertThat(BackendStatsRows.describe(actual)).isEqualTo(BackendStatsRows.describe(expected));
    }
}
