package org.vxpool.it.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: the Active vxpool of a three-member cluster is frozen (SIGSTOP) for 10 s, then
 * resumed. A frozen process cannot remove its delegate IP, and its host's kernel keeps answering
 * ARP for it, so the majority must not raise a second copy (its arping -D probe says the IP is in
 * use). On resume the frozen node finds itself without quorum, drops the IP without leading again,
 * and the majority raises it and serves. Sampled every ~100 ms: never two holders.
 */
class FrozenActiveNetnsTest extends NetnsTestBase {
    private static final Duration TAKEOVER_TIMEOUT = ThreeNodeCluster.TAKEOVER_TIMEOUT;
    private static final String OSSPC19 = ThreeNodeCluster.MEMBER;
    private static final String OSSPC20 = ThreeNodeCluster.ACTIVE;
    private static final String LEADER_LINE = "I am the cluster leader node";

    @Test
    void frozenActiveLosesTheIpToTheMajorityAndDoesNotComeBackAsActive() throws Exception {
        String witness = ThreeNodeCluster.WITNESS;
        net = ThreeNodeCluster.create(dir);
        ThreeNodeCluster.start(net);
        assertThat(net.sqlViaVip("CREATE TABLE frozen(x int); INSERT INTO frozen VALUES (1)").ok()).isTrue();

        // From SIGSTOP until the resumed node has removed the address: its copy is stale, not served.
        long t0 = System.nanoTime();
        ThreeNodeCluster.HolderSampler sampler = new ThreeNodeCluster.HolderSampler(net);
        try {
            signal(net.process(OSSPC20), "STOP");
            // The majority sees the Active go, but its arping -D probe still gets an answer for the
            // IP from the frozen host's kernel, so it must not raise a second copy.
            net.awaitOutput(OSSPC19, "the delegate IP answers ARP on another host; not escalating");
            TutorialNetwork.sleep(Math.max(0, 10_000 - elapsedMs(t0)));
            assertThat(net.holders()).as("during the freeze").containsExactly(OSSPC20);
            int leaderLines = count(net.currentOutput(OSSPC20), LEADER_LINE);
            signal(net.process(OSSPC20), "CONT");
            long resumed = System.nanoTime();
            long moved = TutorialNetwork.waitFor("the IP to move to the majority after the resume", TAKEOVER_TIMEOUT,
                    () -> net.holders().equals(List.of(OSSPC19)));
            TutorialNetwork.waitFor("a write through the IP after the resume", TAKEOVER_TIMEOUT,
                    () -> net.sqlViaVip("INSERT INTO frozen VALUES (2)").ok());
            long served = elapsedMs(resumed);
            net.awaitOutput(OSSPC20, "We have lost the quorum");
            TutorialNetwork.sleep(3000);
            System.out.printf("BENCH netns three nodes, Active frozen 10 s (SIGSTOP/SIGCONT): after the resume the IP was "
                    + "on the majority after %d ms, write through the IP after %d ms%n", moved, served);
            assertThat(count(net.currentOutput(OSSPC20), LEADER_LINE)).as("the resumed node did not lead again")
                    .isEqualTo(leaderLines);
            assertThat(net.holders()).containsExactly(OSSPC19);
            assertThat(Integer.parseInt(net.sqlViaVip("SELECT count(*) FROM frozen").output().strip()))
                    .as("rows written through the IP before the freeze and after the resume").isGreaterThanOrEqualTo(2);
            assertThat(net.process(OSSPC20).isAlive()).as("the resumed node keeps running").isTrue();
        } finally {
            sampler.close();
            signal(net.process(OSSPC20), "CONT");
        }
        sampler.assertNeverTwo("frozen Active", 50);
        net.awaitSamePoolNodes(List.of(OSSPC19, witness), "up/primary", ".*/.*");
    }

    /** Sends SIGSTOP/SIGCONT to the node's process and everything it started (the launcher's JVM). */
    private static void signal(Process p, String sig) throws Exception {
        List<String> pids = Stream.concat(Stream.of(p.toHandle()), p.descendants())
                .map(h -> Long.toString(h.pid())).toList();
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + sig));
        cmd.addAll(pids);
        Process kill = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private static int count(String text, String line) {
        return (int) text.lines().filter(l -> l.contains(line)).count();
    }

    private static long elapsedMs(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
