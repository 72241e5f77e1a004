package org.vxpool.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.Addresses;
import org.vxpool.common.config.BackendConfig;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.testkit.FreePorts;
import org.vxpool.testkit.PgCluster;
import org.vxpool.watchdog.election.ClusterLeadership;
import org.vxpool.watchdog.election.LeadershipSettings;
import org.vxpool.watchdog.vip.VipSettings;

/**
 * Three elected members in one JVM against one real cluster; only member C sees standby 1 fail
 * (its backend 1 points at a dead port). The Active member A quarantines the standby instead of
 * failing it over; a second member's vote then fails it over.
 */
class ThreeMemberConsensusTest {
    @TempDir
    Path dir;

    @Test
    void oneMembersViewQuarantinesTwoFailOver() throws Exception {
        String name = "vxpool-consensus-" + UUID.randomUUID();
        List<Integer> ports = List.of(FreePorts.find(), FreePorts.find(), FreePorts.find());
        List<WatchdogHarness> members = new ArrayList<>();
        try (PgCluster pg = PgCluster.builder().standbys(1).start(); LogCapture log = LogCapture.capture()) {
            // No member decides alone (no quorum), so all three deploy at once.
            List<Future<String>> deployed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                WatchdogHarness h = new WatchdogHarness(ClusteredFollowerTest.clustered(name, ports.get(i), ports));
                members.add(h);
                deployed.add(h.vertx.deployVerticle(
                        member(h.vertx, pg, dir.resolve("m" + i), i, ports, i == 2 ? FreePorts.find() : null)));
            }
            for (Future<String> f : deployed) {
                WatchdogHarness.get(f);
            }
            WatchdogHarness a = members.get(0);
            a.awaitView("node 1 quarantined", v -> v.node(1).status() == NodeStatus.QUARANTINE, Duration.ofSeconds(60));
            // C's vote carries its watchdog member name, though all three members share one JVM.
            log.await("needs consensus: 1 of 2 votes (last from 127.0.0.1:9992: ", Duration.ofSeconds(5));
            Thread.sleep(2000);
            assertThat(a.view().node(1).status()).isEqualTo(NodeStatus.QUARANTINE);

            // B's own health check sees node 1 fine: its vote is sent by hand, under B's member name.
            members.get(1).request(Addresses.FAILOVER_VOTE, new JsonObject().put("node", 1).put("from", "127.0.0.1:9991")
                    .put("reason", "health check failed"));
            a.awaitView("node 1 down", v -> v.node(1).status() == NodeStatus.DOWN, Duration.ofSeconds(30));
            log.await("(consensus reached)", Duration.ofSeconds(5));
        } finally {
            for (int i = members.size() - 1; i >= 0; i--) {
                members.get(i).close();
            }
        }
    }

    private static WatchdogVerticle member(Vertx vertx, PgCluster pg, Path dir, int self, List<Integer> ports,
                                           Integer deadPortForBackend1) {
        WatchdogSettings plain = WatchdogHarness.settings(pg, dir);
        List<BackendConfig> backends = new ArrayList<>(plain.backends());
        if (deadPortForBackend1 != null) {
            BackendConfig b = backends.get(1);
            backends.set(1, new BackendConfig(1, b.host(), deadPortForBackend1, b.weight(), b.dataDirectory(), b.flags(),
                    b.applicationName()));
        }
        WatchdogSettings settings = new WatchdogSettings(plain.statusFile(), true, backends, plain.health(), plain.failover());
        return new WatchdogVerticle(settings, false, new ClusterLeadership(vertx, election(self, ports)));
    }

    private static LeadershipSettings election(int self, List<Integer> wdPorts) {
        LeadershipSettings.Peer me = new LeadershipSettings.Peer("127.0.0.1", wdPorts.get(self), 9990 + self);
        List<LeadershipSettings.Peer> others = new ArrayList<>();
        for (int i = 0; i < wdPorts.size(); i++) {
            if (i != self) {
                others.add(new LeadershipSettings.Peer("127.0.0.1", wdPorts.get(i), 9990 + i));
            }
        }
        VipSettings noVip = new VipSettings("", "", "", "", "", "", "", Duration.ofSeconds(5));
        return new LeadershipSettings(me, others, 1, false, false, Duration.ofSeconds(1), List.of(), "", noVip);
    }
}
