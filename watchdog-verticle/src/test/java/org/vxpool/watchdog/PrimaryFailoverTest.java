package org.vxpool.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.Addresses;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgNode;
import org.vxpool.testkit.StopMode;

/** The primary dies; the standby is promoted by the built-in promotion. */
class PrimaryFailoverTest {
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(30);

    @TempDir
    Path logdir;

    private static boolean primaryFailedOver(ClusterView v) {
        return v.node(0).status() == NodeStatus.DOWN && v.node(1).role() == NodeRole.PRIMARY && v.node(1).routable();
    }

    @Test
    void stopImmediateOfThePrimaryPromotesTheStandby() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).start(); WatchdogHarness wd = new WatchdogHarness();
             LogCapture log = LogCapture.capture()) {
            WatchdogSettings settings = WatchdogHarness.settings(pg, logdir);
            wd.deploy(settings, false);
            int epochBefore = (int) wd.view().epoch();

            pg.node(0).stop(StopMode.IMMEDIATE);
            ClusterView view = wd.awaitView("node 0 down and node 1 primary", PrimaryFailoverTest::primaryFailedOver,
                    FAILOVER_BOUND);

            assertThat(view.epoch()).isGreaterThan(epochBefore);
            // as pgpool shows a failed primary once another one was chosen
            assertThat(view.node(0).role()).isEqualTo(NodeRole.STANDBY);
            wd.awaitPublished("the failover", PrimaryFailoverTest::primaryFailedOver, Duration.ofSeconds(5));
            log.await("failover: set new main node: 1", Duration.ofSeconds(5));
            log.await("failover: set new primary node: 1", Duration.ofSeconds(5));
            String done = log.await("failover done. shutdown host 127.0.0.1(" + pg.node(0).port() + ")", Duration.ofSeconds(5));
            assertThat(done).isNotNull();
            assertThat(log.lines()).anyMatch(l -> l.contains("starting degeneration of node 0")
                    && l.contains("reason: health check failed after 1 retries"));
            assertThat(pg.node(1).isInRecovery()).isFalse();
            pg.node(1).execute("CREATE TABLE written_after_failover(x int)");
            assertThat(Files.readString(logdir.resolve("pgpool_status"))).isEqualTo("down\nup\n");

            // Restart: node 0's PostgreSQL runs again (as a stale primary!) but the status file keeps it out.
            pg.node(0).start();
            wd.restart(settings, false);
            ClusterView restarted = wd.view();
            assertThat(restarted.node(0).status()).isEqualTo(NodeStatus.DOWN);
            assertThat(restarted.node(1).role()).isEqualTo(NodeRole.PRIMARY);
            assertThat(restarted.primary()).hasValueSatisfying(p -> assertThat(p.id()).isEqualTo(1));
        }
    }

    /**
     * SIGKILL of the primary's postmaster while a JDBC loop commits with synchronous replication.
     * The loop plays the proxy: on its first error it reports a backend error, which is the
     * event-driven path. Every id acknowledged before the kill must be on the new primary.
     */
    @Test
    void killedPrimaryWithSyncReplicationLosesNoAcknowledgedWrite() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).synchronous(true).start();
             WatchdogHarness wd = new WatchdogHarness(); LogCapture log = LogCapture.capture()) {
            // Slow periodic checks with retries: detection has to come from the reported error.
            WatchdogSettings settings = WatchdogHarness.settings(pg, logdir, "health_check_period", "30",
                    "health_check_max_retries", "3", "health_check_retry_delay", "1");
            wd.deploy(settings, false);
            pg.node(0).execute("CREATE TABLE acked(id int PRIMARY KEY)");

            Set<Integer> acknowledged = new ConcurrentSkipListSet<>();
            AtomicBoolean reported = new AtomicBoolean();
            Thread writer = new Thread(() -> writeUntilError(pg.node(0), acknowledged, () -> {
                reported.set(true);
                wd.vertx.eventBus().send(Addresses.BACKEND_ERROR,
                        new JsonObject().put("node", 0).put("reason", "connection to backend lost"));
            }));
            writer.start();
            while (acknowledged.size() < 50) {
                Thread.sleep(10);
            }
            long killedAt = System.nanoTime();
            pg.node(0).kill();
            writer.join(30_000);
            assertThat(reported).isTrue();
            wd.awaitView("node 0 down and node 1 primary", PrimaryFailoverTest::primaryFailedOver, FAILOVER_BOUND);
            long firstWriteAt;
            while (true) {
                try (Connection c = pg.node(1).connect(); Statement st = c.createStatement()) {
                    st.execute("INSERT INTO acked VALUES (-1)");
                    firstWriteAt = System.nanoTime();
                    break;
                } catch (SQLException notYet) {
                    Thread.sleep(10);
                }
            }
            System.out.printf("kill -9 of the primary -> first successful write on the new primary: %d ms%n",
                    (firstWriteAt - killedAt) / 1_000_000);

            List<List<String>> rows = pg.node(1).query("SELECT id FROM acked WHERE id >= 0");
            Set<Integer> present = new java.util.HashSet<>();
            rows.forEach(r -> present.add(Integer.parseInt(r.get(0))));
            assertThat(present).containsAll(acknowledged);
            assertThat(log.lines()).anyMatch(l -> l.contains("starting degeneration of node 0")
                    && l.contains("reason: backend error (connection to backend lost), confirmed by health check"));
        }
    }

    private static void writeUntilError(PgNode node, Set<Integer> acknowledged, Runnable onError) {
        try (Connection c = node.connect(); Statement st = c.createStatement()) {
            for (int id = 0; ; id++) {
                st.execute("INSERT INTO acked VALUES (" + id + ")");
                acknowledged.add(id);
            }
        } catch (SQLException e) {
            onError.run();
        }
    }
}
