package org.vxpool.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.PgNode;
import org.vxpool.testkit.ProcessResult;
import org.vxpool.testkit.Waits;

/**
 * The primary is gone and none comes within search_primary_node_timeout: as pgpool-II does, a
 * session-mode client is then served by a standby (reads work, writes fail as the standby fails
 * them), and such sessions end once a view names a primary again.
 */
class ReadOnlyWithoutPrimaryTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1)
            .user("trusty", null, PasswordEncryption.NONE, true));

    @BeforeAll
    static void data() {
        PG.cluster().primary().execute("CREATE TABLE IF NOT EXISTS ro_t(x int); TRUNCATE ro_t; INSERT INTO ro_t VALUES (41)");
        standby().waitForReplay();
    }

    private static PgNode standby() {
        return PG.cluster().standbys().get(0);
    }

    /** Node 0, the real primary, detached: as after a failover whose promotion never happened. */
    private static ClusterView primaryDown(long epoch) {
        ClusterView v = ProxyFixture.view(PG.cluster());
        BackendNode p = v.node(0);
        return new ClusterView(epoch, List.of(
                new BackendNode(p.id(), p.host(), p.port(), p.weight(), NodeStatus.DOWN, p.role(), 0), v.node(1)));
    }

    private static ClusterView primaryBack(long epoch) {
        return new ClusterView(epoch, ProxyFixture.view(PG.cluster()).nodes());
    }

    private static int waiting(ProxyFixture f) {
        return f.stats().getJsonObject("sessions").getInteger("waiting_primary", -1);
    }

    private static Connection open(ProxyFixture f) {
        try {
            return PoolingTest.trusty(f, "");
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
    }

    @Test
    void afterTheWindowClientsReadFromTheStandbyAndEndWhenAPrimaryIsBack() throws Exception {
        int window = 6;
        long started = System.nanoTime();
        try (ProxyFixture f = ProxyFixture.start(primaryDown(1), s -> s.withSearchPrimaryNodeTimeout(window), 1)) {
            // the window opens when the proxy starts without a primary: the first client waits it out
            CompletableFuture<Connection> first = CompletableFuture.supplyAsync(() -> open(f));
            try (Connection waited = first.get(30, TimeUnit.SECONDS)) {
                assertThat(millisSince(started)).as("served once the window closed").isGreaterThanOrEqualTo(window * 1000L);
                assertThat(waiting(f)).isZero();
                assertRunsReadOnlyOnTheStandby(waited);

                // the window has passed: the next client is served without waiting again
                long t0 = System.nanoTime();
                try (Connection late = open(f)) {
                    assertThat(millisSince(t0)).as("no second wait").isLessThan(window * 1000L - 1000);
                    assertRunsReadOnlyOnTheStandby(late);

                    f.publish(primaryBack(2));
                    for (Connection c : List.of(waited, late)) {
                        assertThatThrownBy(() -> PoolingTest.value(c, "SELECT 1"))
                                .isInstanceOf(SQLException.class)
                                .hasMessageContaining("a primary node is available again")
                                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("57P01");
                    }
                }
            }
            // a client connecting now reaches the primary and writes
            try (Connection c = open(f); Statement st = c.createStatement()) {
                assertThat(PoolingTest.value(c, "SELECT pg_is_in_recovery()")).isEqualTo("f");
                assertThat(st.executeUpdate("INSERT INTO ro_t VALUES (42)")).isEqualTo(1);
                assertThat((Object) c.getWarnings()).as("no warning with a primary").isNull();
            }
            Waits.until(Duration.ofSeconds(10), "standby sessions gave their connections back",
                    () -> f.stats().getInteger("clients") == 0);
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** Reads answer from the standby; a write fails there with 25006 and the session goes on. */
    private static void assertRunsReadOnlyOnTheStandby(Connection c) throws SQLException {
        SQLWarning w = c.getWarnings();
        assertThat((Object) w).as("the client is told at log-in").isNotNull();
        assertThat(w.getMessage()).contains("no primary node is available", "standby node 1");
        assertThat(PoolingTest.value(c, "SELECT inet_server_port()")).isEqualTo(String.valueOf(standby().port()));
        assertThat(PoolingTest.value(c, "SELECT min(x) FROM ro_t")).isEqualTo("41");
        try (Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO ro_t VALUES (0)"))
                    .isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25006");
        }
        assertThat(PoolingTest.value(c, "SELECT 'still usable'")).isEqualTo("still usable");
    }

    @Test
    void psqlShowsTheWarningAndReads() throws Exception {
        try (ProxyFixture f = ProxyFixture.start(primaryDown(1), s -> s.withSearchPrimaryNodeTimeout(1), 1)) {
            Waits.until(Duration.ofSeconds(10), "the window closes", () -> {
                try (Connection c = PoolingTest.trusty(f, "")) {
                    return c.isValid(5);
                } catch (SQLException e) {
                    return false;
                }
            });
            ProcessResult r = standby().psqlCommand("-h", "127.0.0.1", "-p", String.valueOf(f.port), "-U", "trusty",
                    "-d", "postgres", "-At", "-c", "SELECT min(x) FROM ro_t", "-c", "INSERT INTO ro_t VALUES (1)");
            assertThat(r.stdout()).as(r.output()).startsWith("41");
            assertThat(r.stderr()).contains("WARNING:  no primary node is available",
                    "cannot execute INSERT in a read-only transaction");
        }
    }

    /**
     * Transaction pooling takes a backend per transaction: without a primary they run on the
     * standby, and once a view names one the same client writes, without reconnecting.
     */
    @Test
    void transactionPoolingReadsFromTheStandbyAndWritesOnceAPrimaryIsBack() throws Exception {
        int window = 3;
        long started = System.nanoTime();
        try (ProxyFixture f = ProxyFixture.start(primaryDown(1),
                s -> s.withSearchPrimaryNodeTimeout(window).withTransactionPooling(4, 30_000), 1);
             Connection c = open(f)) {
            assertThat(millisSince(started)).as("served once the window closed").isGreaterThanOrEqualTo(window * 1000L);
            assertThat(((org.postgresql.util.PSQLWarning) c.getWarnings()).getServerErrorMessage().getDetail())
                    .contains("its transactions go to the primary once one is known");
            assertRunsReadOnlyOnTheStandby(c);

            f.publish(primaryBack(2));
            Waits.until(Duration.ofSeconds(10), "the next transaction runs on the primary",
                    () -> {
                        try {
                            return PoolingTest.value(c, "SELECT pg_is_in_recovery()").equals("f");
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
            try (Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("INSERT INTO ro_t VALUES (43)")).isEqualTo(1);
            }
        }
    }
}
