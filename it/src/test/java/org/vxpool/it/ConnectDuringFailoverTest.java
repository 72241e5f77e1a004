package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.Addresses;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgNode;
import org.vxpool.testkit.Waits;

/**
 * A client that connects in the failover window (the old primary marked down, the standby not
 * yet promoted and found) waits and then writes on the new primary, instead of being refused
 * with "no primary node is available". Real failover: SIGKILL of the primary, health check,
 * built-in promotion, primary search; watchdog and proxy in-process.
 *
 * <p>The window lasts about 200 ms here. To have the client in it every time, the standby's
 * postmaster is stopped (SIGSTOP) before the kill, so the promotion's connection waits; it is
 * continued once the proxy reports the client waiting. Replication and the standby's startup
 * process keep running meanwhile.
 */
class ConnectDuringFailoverTest {
    @TempDir
    Path dir;

    @Test
    void aClientConnectingWhileTheNewPrimaryIsSearchedWritesOnIt() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).start();
             InProcessVxpool vxpool = InProcessVxpool.start(pg, dir)) {
            try (Connection c = InProcessVxpool.connect(vxpool.url, pg); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE during_failover(x int)");
            }
            pg.node(1).waitForReplay(pg.node(0));
            CountDownLatch down = new CountDownLatch(1);
            vxpool.vertx.eventBus().<JsonObject>localConsumer(Addresses.CLUSTER_VIEW, m -> {
                ClusterView v = ClusterView.fromJson(m.body());
                if (v.node(0).status() == NodeStatus.DOWN && v.primary().isEmpty()) {
                    down.countDown();
                }
            }).completion().await(10, TimeUnit.SECONDS);

            long standby = pg.node(1).pid().orElseThrow();
            signal("STOP", standby);
            CompletableFuture<Integer> client;
            try {
                pg.node(0).kill();
                assertThat(down.await(60, TimeUnit.SECONDS)).as("the health check fails node 0 over").isTrue();
                client = CompletableFuture.supplyAsync(() -> writeAndPort(vxpool, pg));
                Waits.until(Duration.ofSeconds(20), "the client waits for a primary", () -> waiting(vxpool) == 1);
                assertThat(client).isNotDone();
            } finally {
                signal("CONT", standby);
            }
            assertThat(client.get(60, TimeUnit.SECONDS)).as("the session runs on the promoted node").isEqualTo(pg.node(1).port());
            assertThat(pg.node(1).queryValue("SELECT count(*) FROM during_failover")).isEqualTo("1");
            assertThat(waiting(vxpool)).isZero();
        }
    }

    private static Integer writeAndPort(InProcessVxpool vxpool, PgCluster pg) {
        try (Connection c = InProcessVxpool.connect(vxpool.url, pg); Statement st = c.createStatement()) {
            st.execute("INSERT INTO during_failover VALUES (1)");
            try (ResultSet rs = st.executeQuery("SELECT inet_server_port()")) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
    }

    private static int waiting(InProcessVxpool vxpool) {
        try {
            JsonObject stats = vxpool.vertx.eventBus().<JsonObject>request(Addresses.PROXY_STATS, new JsonObject())
                    .await(10, TimeUnit.SECONDS).body();
            return stats.getJsonObject("sessions").getInteger("waiting_primary", -1);
        } catch (Exception e) {
            throw new IllegalStateException("no proxy statistics", e);
        }
    }

    private static void signal(String name, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0).as("kill -" + name + " " + pid).isTrue();
    }
}
