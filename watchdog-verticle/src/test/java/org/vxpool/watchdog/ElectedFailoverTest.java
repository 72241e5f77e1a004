package org.vxpool.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.Addresses;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.testkit.FreePorts;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.StopMode;
import org.vxpool.watchdog.election.ClusterLeadership;
import org.vxpool.watchdog.election.LeadershipSettings;
import org.vxpool.watchdog.vip.VipSettings;

/**
 * The failover code behind the real election (ClusterLeadership over Hazelcast on loopback, no
 * delegate IP): the first node leads and decides, the second follows; when the leader leaves,
 * the survivor takes over the decisions with a newer epoch and fails the primary over.
 */
class ElectedFailoverTest {
    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    private static LeadershipSettings election(int self, List<Integer> wdPorts) {
        LeadershipSettings.Peer me = new LeadershipSettings.Peer("127.0.0.1", wdPorts.get(self), 9990 + self);
        LeadershipSettings.Peer other = new LeadershipSettings.Peer("127.0.0.1", wdPorts.get(1 - self), 9990 + 1 - self);
        VipSettings noVip = new VipSettings("", "", "", "", "", "", "", Duration.ofSeconds(5));
        return new LeadershipSettings(me, List.of(other), 1, true, false, Duration.ofSeconds(1), List.of(), "", noVip);
    }

    @Test
    void survivorOfTheLeaderTakesOverAndFailsThePrimaryOver() throws Exception {
        String name = "vxpool-elected-" + UUID.randomUUID();
        List<Integer> ports = List.of(FreePorts.find(), FreePorts.find());
        // Each node starts its election right after joining, as the launcher does: a member that is
        // in the Hazelcast cluster but silent would hold the other's first decision.
        try (PgCluster pg = PgCluster.builder().standbys(1).start();
             WatchdogHarness a = new WatchdogHarness(ClusteredFollowerTest.clustered(name, ports.get(0), ports));
             LogCapture log = LogCapture.capture()) {
            a.deploy(elected(a.vertx, pg, dirA, 0, ports));
            WatchdogHarness b = new WatchdogHarness(ClusteredFollowerTest.clustered(name, ports.get(1), ports));
            closeLater = b;
            b.deploy(elected(b.vertx, pg, dirB, 1, ports));

            ClusterView first = a.view();
            assertThat(first.node(0).role()).isEqualTo(NodeRole.PRIMARY);
            b.awaitView("B follows A", first::equals, Duration.ofSeconds(10));
            // Only the leader serves the Active-only requests; B's request reaches A over the cluster.
            assertThat(b.refusal(Addresses.PROMOTE, new JsonObject().put("node", 0)))
                    .isEqualTo("node 0 is already primary");

            a.undeploy();
            a.close();
            log.await("watchdog: acting as Active for backend state", Duration.ofSeconds(30));
            ClusterView takenOver = b.awaitView("B writes a newer view", v -> v.epoch() > first.epoch(), Duration.ofSeconds(30));
            assertThat(takenOver.node(0).role()).isEqualTo(NodeRole.PRIMARY);

            pg.node(0).stop(StopMode.IMMEDIATE);
            ClusterView failedOver = b.awaitView("node 1 primary", v -> v.node(0).status() == NodeStatus.DOWN
                    && v.node(1).role() == NodeRole.PRIMARY, Duration.ofSeconds(30));
            assertThat(failedOver.epoch()).isGreaterThan(takenOver.epoch());
            assertThat(pg.node(1).isInRecovery()).isFalse();
            // A took the role once (not once per election callback), then B once.
            assertThat(log.lines()).filteredOn(l -> l.contains("acting as Active")).hasSize(2);
        } finally {
            if (closeLater != null) {
                closeLater.close();
            }
        }
    }

    private WatchdogHarness closeLater;

    private static WatchdogVerticle elected(Vertx vertx, PgCluster pg, Path dir, int self, List<Integer> ports) {
        return new WatchdogVerticle(WatchdogHarness.settings(pg, dir), false, new ClusterLeadership(vertx, election(self, ports)));
    }
}
