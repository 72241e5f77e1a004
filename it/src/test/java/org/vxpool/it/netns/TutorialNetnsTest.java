package org.vxpool.it.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vxpool.testkit.StopMode;
import org.vxpool.testkit.netns.NetnsLab;

/**
 * The pgpool-II watchdog tutorial, step by step, on real hosts made of network namespaces (see
 * {@link TutorialNetwork}): vxpool JVMs on {@code osspc19} and {@code osspc20} in front of a real
 * primary/standby pair, a delegate IP moved by {@code ip addr} and {@code arping}, and every check
 * made by a real {@code psql} on {@code someserver} through the delegate IP. Takeover times are
 * printed as {@code BENCH} lines (docs/BENCHMARKS.md); they are measurements, not assertions.
 */
class TutorialNetnsTest extends NetnsTestBase {

    private static final Duration TAKEOVER_TIMEOUT = Duration.ofSeconds(30);
    private static final String OSSPC19 = "osspc19";
    private static final String OSSPC20 = "osspc20";

    @Test
    void tutorialPairFollowsEveryStep() throws Exception {
        net = TutorialNetwork.create(dir, List.of(OSSPC19, OSSPC20), Set.of());

        // The first started node is Active and the only holder of the IP.
        net.startVxpoolAndWait(OSSPC19);
        TutorialNetwork.waitFor("the IP on osspc19", TAKEOVER_TIMEOUT, () -> net.holders().equals(List.of(OSSPC19)));
        net.awaitSamePoolNodes(List.of(OSSPC19), "up/primary", "up/standby");
        net.startVxpoolAndWait(OSSPC20);
        net.awaitOutput(OSSPC20, "successfully joined the watchdog cluster as standby node");
        assertThat(net.holders()).containsExactly(OSSPC19);
        assertViaVip("CREATE TABLE tutorial(step text); INSERT INTO tutorial VALUES ('first node') RETURNING step",
                "first node");
        net.awaitSamePoolNodes(List.of(OSSPC19, OSSPC20), "up/primary", "up/standby");

        // Stop the Active: the IP moves, psql keeps working.
        gracefulHandover(OSSPC19, OSSPC20, "stop of the Active (osspc19)", "up/primary", "up/standby");

        // Restart it: it comes back as Standby and the IP stays where it is.
        net.startVxpoolAndWait(OSSPC19);
        net.awaitOutput(OSSPC19, "successfully joined the watchdog cluster as standby node");
        TutorialNetwork.sleep(2000);
        assertThat(net.holders()).as("the restarted node stays Standby").containsExactly(OSSPC20);
        assertThat(net.currentOutput(OSSPC19)).doesNotContain("I am the cluster leader node");
        net.awaitSamePoolNodes(List.of(OSSPC19, OSSPC20), "up/primary", "up/standby");

        primaryDatabaseFailover();

        // Make osspc19 (no database left on it) the Active again, so that its host crash leaves the
        // primary reachable: the tutorial's last step is about the watchdog, not the database.
        gracefulHandover(OSSPC20, OSSPC19, "stop of the Active (osspc20)", "down/.*", "up/primary");
        net.startVxpoolAndWait(OSSPC20);
        net.awaitOutput(OSSPC20, "successfully joined the watchdog cluster as standby node");
        assertThat(net.holders()).containsExactly(OSSPC19);
        net.awaitSamePoolNodes(List.of(OSSPC19, OSSPC20), "down/.*", "up/primary");

        activeHostCrash();
    }

    /**
     * {@code vxpool stop} on the Active: the Standby takes the IP and psql works through it. The
     * time is given from the stop command (which starts a JVM of its own) and from the moment the
     * node logged the signal. Then the survivor's {@code SHOW pool_nodes} must show {@code expected}.
     */
    private void gracefulHandover(String active, String standby, String what, String... expected) throws Exception {
        long t0 = System.nanoTime();
        Process stop = net.stopVxpool(active);
        long ipUp = TutorialNetwork.waitFor("the IP on " + standby, TAKEOVER_TIMEOUT, () -> {
            assertThat(net.holders()).as("never two holders").hasSizeLessThanOrEqualTo(1);
            return net.holders().equals(List.of(standby));
        });
        long ipUpWall = System.currentTimeMillis();
        TutorialNetwork.waitFor("psql through the IP", TAKEOVER_TIMEOUT,
                () -> net.sqlViaVip("SELECT 1").output().strip().equals("1"));
        long serving = elapsedMs(t0);
        long servingWall = System.currentTimeMillis();
        assertThat(stop.waitFor(40, TimeUnit.SECONDS)).as("vxpool stop returns").isTrue();
        assertThat(stop.exitValue()).as("vxpool stop exit status").isZero();
        assertThat(net.process(active).waitFor(10, TimeUnit.SECONDS)).as("the stopped node exits").isTrue();
        assertThat(net.holders()).containsExactly(standby);
        long signalled = net.loggedAt(active, "received SIGTERM");
        System.out.printf("BENCH netns tutorial %s with 'vxpool stop': IP up on %s after %d ms (%d ms after the node "
                + "got SIGTERM), psql through the IP after %d ms (%d ms)%n", what, standby, ipUp, ipUpWall - signalled,
                serving, servingWall - signalled);
        net.awaitSamePoolNodes(List.of(standby), expected);
    }

    /**
     * {@code pg_ctl stop -m immediate} of the primary on osspc19: the Active fails it over to the
     * standby on osspc20, writes through the IP work again, and both vxpool nodes' {@code SHOW
     * pool_nodes} say node 0 down, node 1 primary.
     */
    private void primaryDatabaseFailover() {
        assertViaVip("INSERT INTO tutorial VALUES ('before failover') RETURNING step", "before failover");
        TutorialNetwork.waitFor("the standby to replay the last write", Duration.ofSeconds(20),
                () -> net.sqlOn(OSSPC20, "SELECT count(*) FROM tutorial").output().strip().equals("2"));

        long t0 = System.nanoTime();
        net.db(0).stop(StopMode.IMMEDIATE);
        TutorialNetwork.waitFor("a write through the IP after the primary stopped", TAKEOVER_TIMEOUT,
                () -> net.sqlViaVip("INSERT INTO tutorial VALUES ('after failover')").ok());
        System.out.printf("BENCH netns tutorial primary database stopped (pg_ctl -m immediate): write through the IP "
                + "works after %d ms%n", elapsedMs(t0));

        net.awaitSamePoolNodes(List.of(OSSPC19, OSSPC20), "down/.*", "up/primary");
        assertViaVip("SELECT string_agg(step, ',' ORDER BY step) FROM tutorial",
                "after failover,before failover,first node");
        assertThat(net.currentOutput(OSSPC20)).contains("failover: set new primary node: 1");
    }

    /**
     * The Active's host dies: its JVM is SIGKILLed and its cable pulled. The survivor takes the IP
     * (gratuitous ARP moves the client's cache) and writes work through it.
     */
    private void activeHostCrash() {
        long t0 = System.nanoTime();
        net.lab().crashHost(OSSPC19);
        long ipUp = TutorialNetwork.waitFor("the IP on the survivor", TAKEOVER_TIMEOUT,
                () -> net.lab().hasAddress(OSSPC20, net.vip()));
        TutorialNetwork.waitFor("a write through the IP after the host crash", TAKEOVER_TIMEOUT,
                () -> net.sqlViaVip("INSERT INTO tutorial VALUES ('after crash')").ok());
        System.out.printf("BENCH netns tutorial Active host crash (SIGKILL + link down): IP up on the survivor after "
                + "%d ms, write through the IP after %d ms%n", ipUp, elapsedMs(t0));
        assertThat(net.currentOutput(OSSPC20)).contains("I am the cluster leader node");
        assertViaVip("SELECT count(*) FROM tutorial", "4");
        net.awaitSamePoolNodes(List.of(OSSPC20), "down/.*", "up/primary");
    }

    /**
     * Three members (a witness on someserver): the Active, cut off from the network, loses the
     * quorum and drops the IP; the majority elects a new Active that raises it and keeps serving.
     * Never do two hosts hold the IP at once (sampled every ~100 ms).
     */
    @Test
    void threeNodesIsolatedActiveDropsTheIpAndTheMajorityKeepsServing() throws Exception {
        String witness = TutorialNetwork.CLIENT_HOST;
        net = TutorialNetwork.create(dir, List.of(OSSPC20, OSSPC19, witness), Set.of(witness));

        // osspc20 starts first and becomes Active once a second member gives it the quorum; the
        // primary database stays on osspc19, so the test is about the watchdog alone.
        net.startVxpoolAndWait(OSSPC20);
        assertThat(net.holders()).as("1 of 3 members: no quorum, no IP").isEmpty();
        net.startVxpool(OSSPC19);
        net.startVxpool(witness);
        net.awaitUp(OSSPC19);
        net.awaitUp(witness);
        TutorialNetwork.waitFor("the IP on osspc20", TAKEOVER_TIMEOUT, () -> net.holders().equals(List.of(OSSPC20)));
        // The new Active raises the IP as soon as it has the quorum and searches for the primary
        // at the same time: a client that comes in between waits for the primary (PrimaryWait).
        // The scenario starts once every node routes the same way.
        net.awaitSamePoolNodes(List.of(OSSPC20, OSSPC19, witness), "up/primary", "up/standby");
        assertViaVip("CREATE TABLE three(x int); INSERT INTO three VALUES (1) RETURNING x", "1");

        long t0 = System.nanoTime();
        net.lab().linkDown(OSSPC20);
        long[] dropped = {-1};
        long moved = TutorialNetwork.waitFor("the IP to move to the majority", TAKEOVER_TIMEOUT, () -> {
            List<String> now = net.holders();
            assertThat(now).as("never two holders").hasSizeLessThanOrEqualTo(1);
            if (dropped[0] < 0 && !now.contains(OSSPC20)) {
                dropped[0] = elapsedMs(t0);
            }
            return now.equals(List.of(OSSPC19));
        });
        TutorialNetwork.waitFor("a write through the IP on the majority", TAKEOVER_TIMEOUT,
                () -> net.sqlViaVip("INSERT INTO three VALUES (2)").ok());
        System.out.printf("BENCH netns three nodes, Active isolated (link down): it dropped the IP after %d ms, the "
                + "majority raised it after %d ms, write through the IP after %d ms%n", dropped[0], moved, elapsedMs(t0));

        net.awaitOutput(OSSPC20, "We have lost the quorum");
        assertThat(net.process(OSSPC20).isAlive()).as("the isolated node keeps running").isTrue();
        assertThat(net.holders()).containsExactly(OSSPC19);
        TutorialNetwork.sleep(2000);
        assertThat(net.holders()).as("still one holder").containsExactly(OSSPC19);
        assertViaVip("SELECT count(*) FROM three", "2");
        // The majority agrees (the witness by its view: it runs no proxy), and the primary never moved.
        net.awaitSamePoolNodes(List.of(OSSPC19, witness), "up/primary", ".*/.*");
    }

    private void assertViaVip(String sql, String expected) {
        NetnsLab.Result r = net.sqlViaVip(sql);
        assertThat(r.ok()).as("psql through the IP: %s%n%s", sql, r.output()).isTrue();
        assertThat(r.output().strip()).as(sql).isEqualTo(expected);
    }

    private static long elapsedMs(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
