package org.vxpool.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.Addresses;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.testkit.FreePorts;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.StopMode;
import org.vxpool.watchdog.election.ClusteredNode;
import org.vxpool.watchdog.lag.LagMonitor;

/**
 * Two vxpool nodes in one Hazelcast cluster (loopback only): the Standby node takes the Active
 * node's view over its own status file, reports failures as votes, and takes over the decisions
 * when the leadership moves.
 */
class ClusteredFollowerTest {
    /**
     * The Standby's map refresh in the tests of it: a fifth of {@link WatchdogVerticle#FOLLOWER_REFRESH_MS},
     * so that waiting for a few rounds takes seconds, not tens of them.
     */
    private static final long REFRESH_MS = 1000;
    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    static Vertx clustered(String clusterName, int port, List<Integer> members) throws Exception {
        Config hz = ClusteredNode.hazelcastConfig(clusterName, "127.0.0.1", port,
                members.stream().map(m -> "127.0.0.1:" + m).toList());
        VertxOptions options = new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0));
        return WatchdogHarness.get(Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hz))
                .buildClustered());
    }

    @Test
    void standbyFollowsTheActiveNodeVotesAndTakesOver() throws Exception {
        String name = "vxpool-test-" + UUID.randomUUID();
        int portA = FreePorts.find();
        int portB = FreePorts.find();
        try (PgCluster pg = PgCluster.builder().standbys(1).start();
             WatchdogHarness a = new WatchdogHarness(clustered(name, portA, List.of(portA, portB)));
             WatchdogHarness b = new WatchdogHarness(clustered(name, portB, List.of(portA, portB)));
             LogCapture log = LogCapture.capture()) {
            // A checks rarely, so a failure of node 1 is seen first by B, which can only vote.
            WatchdogSettings settingsA = WatchdogHarness.settings(pg, dirA, "health_check_period", "60");
            WatchdogSettings settingsB = WatchdogHarness.settings(pg, dirB);
            // B's own status file says node 0 is down: the Active node's view must win over it.
            Files.writeString(dirB.resolve("pgpool_status"), "down\nup\n");
            TestLeadership leaderA = new TestLeadership(true, 1);
            TestLeadership leaderB = new TestLeadership(false, 1);
            a.deploy(new WatchdogVerticle(settingsA, false, leaderA));
            b.deploy(new WatchdogVerticle(settingsB, false, leaderB));

            ClusterView viewA = a.view();
            assertThat(b.view()).isEqualTo(viewA);
            assertThat(b.view().node(0).role()).isEqualTo(NodeRole.PRIMARY);
            assertThat(Files.readString(dirB.resolve("pgpool_status"))).isEqualTo("up\nup\n");

            pg.node(1).stop(StopMode.FAST);
            ClusterView afterVote = a.awaitView("node 1 down", v -> v.node(1).status() == NodeStatus.DOWN,
                    Duration.ofSeconds(30));
            log.await("reason: failover request from", Duration.ofSeconds(5));
            b.awaitView("node 1 down on B", v -> v.epoch() == afterVote.epoch(), Duration.ofSeconds(10));

            // The leadership moves to B: it now answers the Active-only requests and writes newer views.
            leaderA.set(false, 1);
            leaderB.set(true, 2);
            b.awaitView("B acting", v -> v.epoch() > afterVote.epoch(), Duration.ofSeconds(10));
            pg.node(1).start();
            JsonObject reply = b.request(Addresses.ATTACH, new JsonObject().put("node", 1));
            assertThat(reply.getBoolean("ok")).isTrue();
            ClusterView attached = b.view();
            assertThat(attached.node(1).status()).isEqualTo(NodeStatus.UP);
            a.awaitView("A follows B", v -> v.equals(attached), Duration.ofSeconds(10));
        }
    }

    /**
     * A view the Standby node never heard published (it joined after the publish, or the message
     * was lost) still reaches it: it re-reads the clustered map the Active node keeps.
     */
    @Test
    void aStandbyThatMissedThePublishTakesTheViewFromTheMap() throws Exception {
        String name = "vxpool-test-" + UUID.randomUUID();
        int portA = FreePorts.find();
        int portB = FreePorts.find();
        try (PgCluster pg = PgCluster.builder().standbys(1).start();
             WatchdogHarness a = new WatchdogHarness(clustered(name, portA, List.of(portA, portB)));
             WatchdogHarness b = new WatchdogHarness(clustered(name, portB, List.of(portA, portB)))) {
            a.deploy(new WatchdogVerticle(WatchdogHarness.settings(pg, dirA, "health_check_period", "60"), false,
                    new TestLeadership(true, 1)));
            b.deploy(new WatchdogVerticle(WatchdogHarness.settings(pg, dirB, "health_check_period", "60"), false,
                    new TestLeadership(false, 1)).followerRefreshEvery(REFRESH_MS));
            ClusterView start = a.view();
            b.awaitView("B has A's view", v -> v.equals(start), Duration.ofSeconds(10));

            // What the Active node writes for a newer view, without the publish.
            long epoch = start.epoch() + 1;
            AsyncMap<Integer, JsonObject> map = WatchdogHarness.get(a.vertx.sharedData().getAsyncMap(Addresses.BACKENDS_MAP));
            for (BackendNode n : start.nodes()) {
                BackendNode written = n.id() == 1 ? n.withStatus(NodeStatus.DOWN, System.currentTimeMillis()) : n;
                WatchdogHarness.get(map.put(n.id(), written.toJson().put("epoch", epoch)));
            }
            ClusterView taken = b.awaitView("B takes the map's newer view", v -> v.epoch() == epoch,
                    Duration.ofMillis(3 * REFRESH_MS));
            assertThat(taken.node(1).status()).isEqualTo(NodeStatus.DOWN);
            assertThat(taken.node(0)).isEqualTo(start.node(0));
            // The status file is written off the event loop, just after the adoption.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!Files.readString(dirB.resolve("pgpool_status")).equals("up\ndown\n") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Files.readString(dirB.resolve("pgpool_status"))).isEqualTo("up\ndown\n");
        }
    }

    /**
     * The Active node measures lag and publishes it clustered; the proxies and the admin of every
     * node listen with local consumers, which Vert.x does not give messages from other nodes.
     */
    @Test
    void lagPublishedByTheActiveReachesLocalConsumersOnEveryNode() throws Exception {
        String name = "vxpool-test-" + UUID.randomUUID();
        int portA = FreePorts.find();
        int portB = FreePorts.find();
        try (PgCluster pg = PgCluster.builder().start();
             WatchdogHarness a = new WatchdogHarness(clustered(name, portA, List.of(portA, portB)));
             WatchdogHarness b = new WatchdogHarness(clustered(name, portB, List.of(portA, portB)))) {
            a.deploy(new WatchdogVerticle(WatchdogHarness.settings(pg, dirA), false, new TestLeadership(true, 1)));
            b.deploy(new WatchdogVerticle(WatchdogHarness.settings(pg, dirB), false, new TestLeadership(false, 1)));
            List<JsonObject> onA = new CopyOnWriteArrayList<>();
            List<JsonObject> onB = new CopyOnWriteArrayList<>();
            WatchdogHarness.get(a.vertx.eventBus().<JsonObject>localConsumer(Addresses.REPLICATION_LAG,
                    m -> onA.add(m.body())).completion());
            WatchdogHarness.get(b.vertx.eventBus().<JsonObject>localConsumer(Addresses.REPLICATION_LAG,
                    m -> onB.add(m.body())).completion());

            JsonObject lag = new JsonObject().put("1", new JsonObject().put("delayBytes", 42).put("state", "streaming"));
            // What the Active's LagMonitor does, from a's event loop.
            a.vertx.runOnContext(v -> a.vertx.eventBus().publish(Addresses.REPLICATION_LAG, lag));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (onB.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(300);
            assertThat(new ArrayList<>(onB)).as("the other node's local consumer").containsExactly(lag);
            assertThat(new ArrayList<>(onA)).as("the Active's own local consumer, once").containsExactly(lag);
        }
    }

    /**
     * A lag report the Standby node never heard published (its clustered subscription had not
     * reached the Active node) still reaches its local consumers: it is read from the clustered
     * map the Active node keeps, once per report.
     */
    @Test
    void aStandbyThatMissedTheLagPublishTakesItFromTheMap() throws Exception {
        String name = "vxpool-test-" + UUID.randomUUID();
        int portA = FreePorts.find();
        int portB = FreePorts.find();
        try (PgCluster pg = PgCluster.builder().start();
             WatchdogHarness a = new WatchdogHarness(clustered(name, portA, List.of(portA, portB)));
             WatchdogHarness b = new WatchdogHarness(clustered(name, portB, List.of(portA, portB)))) {
            a.deploy(new WatchdogVerticle(WatchdogHarness.settings(pg, dirA), false, new TestLeadership(true, 1)));
            b.deploy(new WatchdogVerticle(WatchdogHarness.settings(pg, dirB), false, new TestLeadership(false, 1))
                    .followerRefreshEvery(REFRESH_MS));
            List<JsonObject> onB = new CopyOnWriteArrayList<>();
            WatchdogHarness.get(b.vertx.eventBus().<JsonObject>localConsumer(Addresses.REPLICATION_LAG,
                    m -> onB.add(m.body())).completion());

            // What the Active's LagMonitor keeps in the map, without the publish.
            JsonObject lag = new JsonObject().put("1", new JsonObject().put("delayBytes", 4242).put("state", "streaming"));
            AsyncMap<String, JsonObject> map = WatchdogHarness.get(a.vertx.sharedData().getAsyncMap(Addresses.REPLICATION_LAG_MAP));
            WatchdogHarness.get(map.put(LagMonitor.LATEST, new JsonObject().put("at", System.currentTimeMillis()).put("lag", lag)));
            long deadline = System.nanoTime() + Duration.ofMillis(3 * REFRESH_MS).toNanos();
            while (onB.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(new ArrayList<>(onB)).as("the Standby's local consumer").containsExactly(lag);
            // the same report is not relayed again at the next refreshes
            Thread.sleep(2 * REFRESH_MS + 1000);
            assertThat(new ArrayList<>(onB)).containsExactly(lag);
        }
    }
}
