package org.vxpool.watchdog.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.Addresses;
import org.vxpool.watchdog.vip.VipSettings;

/**
 * Real Hazelcast clustering on loopback, several Vert.x instances in this JVM. The delegate IP is
 * simulated by a shared "holder" file: if_up_cmd writes the node's name into it, if_down_cmd
 * removes it, and the duplicate-address probe fails while it exists, as arping -D would.
 */
class ClusterLeadershipTest {
    @TempDir
    Path dir;
    private final String clusterName = "vxpool-election-" + UUID.randomUUID();
    private final List<Member> started = new ArrayList<>();

    private record Member(int index, ClusteredNode node, ClusterLeadership leadership) {
    }

    @AfterEach
    void tearDown() {
        for (Member m : started) {
            try {
                await(m.leadership.stop());
                m.node.close();
            } catch (Exception e) {
                // already stopped or crashed by the test
            }
        }
    }

    private LeadershipSettings settings(int index, List<Integer> ports, boolean halfVotes, boolean witness) {
        List<LeadershipSettings.Peer> others = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            if (i != index) {
                others.add(peer(i, ports));
            }
        }
        String holder = dir.resolve("holder").toString();
        String log = dir.resolve("node" + index + ".log").toString();
        String me = "node" + index;
        VipSettings vip = new VipSettings("10.250.0.100",
                "echo " + me + " > " + holder + " && echo up $_IP_$ >> " + log,
                "if [ \"$(cat " + holder + " 2>/dev/null)\" = " + me + " ]; then rm -f " + holder + "; fi; echo down >> "
                        + log,
                "echo arping >> " + log, "test ! -e " + holder,
                "echo escalate >> " + log, "echo de-escalate >> " + log, Duration.ofSeconds(5));
        return new LeadershipSettings(peer(index, ports), others, 1, halfVotes, witness, Duration.ofSeconds(1),
                List.of(), "", vip);
    }

    private static LeadershipSettings.Peer peer(int index, List<Integer> ports) {
        return new LeadershipSettings.Peer("127.0.0.1", ports.get(index), 9990 + index);
    }

    private Member start(int index, List<Integer> ports, boolean halfVotes) throws Exception {
        return start(index, ports, halfVotes, false);
    }

    private Member start(int index, List<Integer> ports, boolean halfVotes, boolean witness) throws Exception {
        ClusteredNode node = ClusteredNode.start(clusterName, ports.get(index), ports);
        // The launcher's way: the Hazelcast instance is found through the Vert.x cluster manager.
        ClusterLeadership leadership = new ClusterLeadership(node.vertx, settings(index, ports, halfVotes, witness));
        Future<Void> first = Future.<Void>future(p -> node.vertx.getOrCreateContext()
                .runOnContext(v -> leadership.start().onComplete(p)));
        await(first);
        Member m = new Member(index, node, leadership);
        started.add(m);
        return m;
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static long waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(30)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private String holder() throws Exception {
        Path p = dir.resolve("holder");
        return Files.exists(p) ? Files.readString(p).strip() : "";
    }

    private JsonObject info(Member m) throws Exception {
        return await(m.node.vertx.eventBus().<JsonObject>request(Addresses.WATCHDOG_INFO_GET, null)).body();
    }

    @Test
    void tutorialPairFirstLeadsStandbyTakesOverAndRestartedNodeStandsBy() throws Exception {
        List<Integer> ports = ClusteredNode.freePorts(2);
        Member a = start(0, ports, true);
        assertThat(a.leadership.isActive()).isTrue();
        assertThat(a.leadership.epoch()).isEqualTo(1);
        waitFor("node0 to hold the IP", () -> holderIs("node0"));

        Member b = start(1, ports, true);
        assertThat(b.leadership.isActive()).isFalse();
        assertThat(b.leadership.state()).isEqualTo(WatchdogState.STANDBY);
        waitFor("node1 to see node0 as leader", () -> infoField(b, "leaderNodeName").equals("127.0.0.1:9990"));
        JsonObject infoB = info(b);
        assertThat(infoB.getString("quorumState")).isEqualTo("QUORUM EXIST");
        assertThat(infoB.getBoolean("vipUpOnLocalNode")).isFalse();
        assertThat(infoB.getJsonArray("members")).hasSize(2);
        assertThat(info(a).getBoolean("vipUpOnLocalNode")).isTrue();

        long t0 = System.nanoTime();
        await(a.leadership.stop());
        long released = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(holder()).as("stop() returns after the IP is released").isNotEqualTo("node0");
        waitFor("node1 to lead", b.leadership::isActive);
        long takeover = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        waitFor("node1 to hold the IP", () -> holderIs("node1"));
        long ipMoved = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.printf("BENCH election graceful stop: IP released after %d ms, standby leader after %d ms, "
                + "IP up on standby after %d ms%n", released, takeover, ipMoved);
        a.node.close();
        started.remove(a);
        assertThat(b.leadership.epoch()).isEqualTo(2);
        assertThat(Files.readAllLines(dir.resolve("node0.log")))
                .containsExactly("escalate", "up 10.250.0.100", "arping", "de-escalate", "down");

        Member a2 = start(0, ports, true);
        assertThat(a2.leadership.state()).as("restarted node").isEqualTo(WatchdogState.STANDBY);
        assertThat(b.leadership.isActive()).isTrue();
        waitFor("the old node0 entry to be dropped", () -> b.node.manager.getHazelcastInstance()
                .getReplicatedMap(MemberRegistry.MAP_NAME).size() == 2);

        // Whole-host failure of the leader: its IP vanishes with it, and it says no goodbye.
        Files.deleteIfExists(dir.resolve("holder"));
        long t1 = System.nanoTime();
        b.node.crash();
        started.remove(b);
        waitFor("node0 to lead again", a2.leadership::isActive);
        System.out.printf("BENCH election leader crash: standby leader after %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1));
        assertThat(a2.leadership.epoch()).isEqualTo(3);
        waitFor("node0 to hold the IP", () -> holderIs("node0"));
    }

    @Test
    void threeConfiguredMembersNeedTwoUp() throws Exception {
        List<Integer> ports = ClusteredNode.freePorts(3);
        Member a = start(0, ports, false);
        assertThat(a.leadership.state()).isEqualTo(WatchdogState.LOST_QUORUM);
        assertThat(a.leadership.isActive()).isFalse();
        assertThat(info(a).getString("quorumState")).isEqualTo("QUORUM ABSENT");

        Member b = start(1, ports, false);
        waitFor("a leader", () -> a.leadership.isActive() || b.leadership.isActive());
        assertThat(a.leadership.isActive()).as("earliest start wins").isTrue();
        assertThat(b.leadership.isActive()).isFalse();
        waitFor("node0 to hold the IP", () -> holderIs("node0"));

        await(b.leadership.stop());
        b.node.close();
        started.remove(b);
        waitFor("node0 to step down", () -> !a.leadership.isActive());
        assertThat(a.leadership.state()).isEqualTo(WatchdogState.LOST_QUORUM);
        waitFor("the IP to go down", () -> holderIs(""));
        assertThat(b.leadership.isActive()).isFalse();
    }

    @Test
    void witnessCompletesTheQuorumButNeverLeads() throws Exception {
        List<Integer> ports = ClusteredNode.freePorts(3);
        Member witness = start(0, ports, false, true);
        assertThat(witness.leadership.state()).isEqualTo(WatchdogState.LOST_QUORUM);
        Member db = start(1, ports, false);
        waitFor("the database node to lead", db.leadership::isActive);
        assertThat(witness.leadership.isActive()).as("earlier start, but a witness").isFalse();
        // The witness learns the leader through the replicated member info, which may arrive
        // after the leader has decided: wait for it rather than read it once.
        waitFor("the witness to be standby", () -> witness.leadership.state() == WatchdogState.STANDBY);
        waitFor("node1 to hold the IP", () -> holderIs("node1"));
        waitFor("the witness to name node1 as leader",
                () -> "127.0.0.1:9991".equals(infoField(witness, "leaderNodeName")));
        assertThat(witness.leadership.isActive()).isFalse();
    }

    private boolean holderIs(String name) {
        try {
            return holder().equals(name);
        } catch (Exception e) {
            return false;
        }
    }

    private String infoField(Member m, String field) {
        try {
            return info(m).getString(field);
        } catch (Exception e) {
            return "";
        }
    }
}
