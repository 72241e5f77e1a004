package org.vxpool.proxy.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vxpool.proxy.lb.LbFixture.connect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.routing.RoutingSettings;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.PgNode;

/**
 * Issue 4: "a standby killed mid-run: read-only autocommit clients see no error", in both pool
 * modes. Eight JDBC clients (simple and extended protocol) read in a loop while one standby's
 * postmaster is SIGKILLed; the view marks it down one second later, as a health check would. No client sees
 * an error, and once the view says down no read runs there.
 */
class StandbyKilledMidRunTest {
    /** Reads the clients must still complete once the view says the standby is down. */
    private static final int READS_AFTER_DOWN = 40;

    @RegisterExtension
    /** Per test: each run kills a standby. */
    final PgClusterExtension pg = new PgClusterExtension(PgCluster.builder().standbys(2)
            .user(LbFixture.USER, null, PasswordEncryption.NONE, true));

    @ParameterizedTest(name = "pool_mode = {0}")
    @ValueSource(strings = {"session", "transaction"})
    void readOnlyAutocommitClientsSeeNoError(String poolMode) throws Exception {
        PgCluster c = pg.cluster();
        ClusterView view = LbFixture.view(c, 0, 1, 1);
        PgNode victim = c.standbys().get(1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean viewSaysDown = new AtomicBoolean();
        AtomicLong readsAfterDown = new AtomicLong();
        Map<Integer, Long> portsAfterDown = new ConcurrentHashMap<>();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (ProxyFixture proxy = LbFixture.start(view, RoutingSettings.defaults(), "session".equals(poolMode)
                ? s -> s.withNumInitChildren(64) : s -> s.withNumInitChildren(64).withTransactionPooling(4, 5000))) {
            List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String mode = i % 2 == 0 ? "simple" : "extended";
                // one application_name each: in transaction mode a connection another client used
                // first gets vxpool's hidden SET ahead of the read
                String params = "?preferQueryMode=" + mode + "&ApplicationName=client" + i;
                clients.add(pool.submit(() -> {
                    try (Connection conn = connect(proxy, params);
                         PreparedStatement ps = conn.prepareStatement("select inet_server_port()")) {
                        while (!stop.get()) {
                            boolean down = viewSaysDown.get();
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                if (down) {
                                    portsAfterDown.merge(rs.getInt(1), 1L, Long::sum);
                                    readsAfterDown.incrementAndGet();
                                }
                            }
                        }
                    } catch (SQLException e) {
                        errors.add(mode + ": " + e.getSQLState() + " " + e.getMessage());
                    }
                    return null;
                }));
            }
            Thread.sleep(1500);
            victim.kill();
            Thread.sleep(1000);
            List<BackendNode> nodes = new ArrayList<>(view.nodes());
            nodes.set(victim.id(), nodes.get(victim.id()).withStatus(NodeStatus.DOWN, System.currentTimeMillis()));
            proxy.publish(new ClusterView(2, nodes));
            Thread.sleep(200);
            viewSaysDown.set(true);
            // A count, not a time: a loaded machine may run few reads per second, but the clients
            // go on reading (stalled clients leave the count short until the deadline).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (readsAfterDown.get() < READS_AFTER_DOWN && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            stop.set(true);
            for (Future<?> f : clients) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(errors).isEmpty();
        assertThat(readsAfterDown.get()).isGreaterThanOrEqualTo(READS_AFTER_DOWN);
        assertThat(portsAfterDown).doesNotContainKey(victim.port());
    }
}
