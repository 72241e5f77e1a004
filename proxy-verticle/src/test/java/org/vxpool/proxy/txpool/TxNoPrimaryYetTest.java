package org.vxpool.proxy.txpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vxpool.proxy.txpool.TxFixture.connect;
import static org.vxpool.proxy.txpool.TxFixture.value;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/**
 * An idle client's write while the view names no primary (between the old primary's loss and
 * the promotion): it waits for the new primary, at most {@code pool_timeout}, as documented. With
 * load balancing the router answered it at once with {@code 08006 no primary node is up}, so a
 * write that arrived in the few hundred milliseconds of a promotion failed (txaudit8 audit).
 */
class TxNoPrimaryYetTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1));
    @TempDir
    static Path dir;
    static ProxyFixture proxy;
    static long epoch = 1;

    @BeforeAll
    static void start() throws Exception {
        PG.cluster().primary().execute("CREATE TABLE np_t(v int)");
        proxy = TxFixture.start(PG.cluster(), dir, "load_balance_mode = on\npool_timeout = 3000\n", 0, 1);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @AfterEach
    void primaryBack() throws Exception {
        // a login waits while no primary is known: publish first, then connect
        proxy.publish(view(true));
        try (Connection c = connect(proxy, PG.cluster())) {
            shown(c, "up");
        }
    }

    /** Waits until {@code c}'s proxy shows node 0 {@code status}: views travel over the event bus. */
    static void shown(Connection c, String status) throws Exception {
        try (Statement st = c.createStatement()) {
            for (int i = 0; i < 100; i++) {
                try (ResultSet rs = st.executeQuery("SHOW pool_nodes")) {
                    rs.next();
                    if (rs.getString("status").equals(status)) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("the proxy did not show node 0 " + status);
    }

    /** The cluster with node 0 as the up primary, or (false) marked down so that no node is primary. */
    static ClusterView view(boolean primaryUp) {
        List<BackendNode> nodes = new ArrayList<>();
        for (BackendNode n : TxFixture.view(PG.cluster(), 0, 1).nodes()) {
            nodes.add(n.id() != 0 || primaryUp ? n
                    : n.withStatus(NodeStatus.DOWN, 1_700_000_000_001L).withRole(NodeRole.STANDBY, 1_700_000_000_001L));
        }
        return new ClusterView(++epoch, nodes);
    }

    @Test
    void aWriteWaitsForThePrimaryThatComesWithinPoolTimeout() throws Exception {
        try (Connection c = connect(proxy, PG.cluster())) {
            assertThat(value(c, "SELECT 1")).isEqualTo("1");
            proxy.publish(view(false));
            shown(c, "down");
            long t0 = System.nanoTime();
            CompletableFuture<Integer> write = CompletableFuture.supplyAsync(() -> {
                try (Statement st = c.createStatement()) {
                    return st.executeUpdate("INSERT INTO np_t VALUES (1)");
                } catch (SQLException e) {
                    throw new IllegalStateException(e.getSQLState() + " " + e.getMessage(), e);
                }
            });
            Thread.sleep(1000);
            assertThat(write).as("waiting for a primary").isNotDone();
            proxy.publish(view(true));
            assertThat(write.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(1000);
        }
    }

    @Test
    void aWriteFailsAfterPoolTimeoutWhenNoPrimaryComesAndTheClientGoesOn() throws Exception {
        try (Connection c = connect(proxy, PG.cluster())) {
            proxy.publish(view(false));
            shown(c, "down");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> c.createStatement().executeUpdate("INSERT INTO np_t VALUES (2)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("no primary node is available")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08006");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(2900);
            // reads still run on the standby meanwhile
            assertThat(value(c, "SELECT pg_is_in_recovery()")).isEqualTo("t");
        }
    }
}
