package org.vxpool.it.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.vxpool.testkit.netns.NetnsLab;

/**
 * Issue 11: the Active of a three-member cluster fails while three psql clients on someserver
 * write through the delegate IP. Sampled every ~100 ms, the IP never has two reachable holders;
 * the majority takes it over; every client writes again; every write a client saw committed is in
 * the table; and failed writes happen only inside the outage window, which is printed.
 */
class ActiveFaultUnderLoadNetnsTest extends NetnsTestBase {
    private static final int CLIENTS = 3;
    private static final String TABLE = "ledger";

    /** Its vxpool SIGKILLed and its cable pulled at once: a dead host, that cannot drop the IP itself. */
    @Test
    void activeHostKilledUnderLoad() throws Exception {
        underLoad("Active host killed (SIGKILL + link down)", sampler -> {
            sampler.markDead(ThreeNodeCluster.ACTIVE);
            net.lab().crashHost(ThreeNodeCluster.ACTIVE);
        });
    }

    /** Its cable pulled, the JVM running: it must drop the IP itself, having lost the quorum. */
    @Test
    void activeIsolatedUnderLoad() throws Exception {
        underLoad("Active isolated (link down)", sampler -> net.lab().linkDown(ThreeNodeCluster.ACTIVE));
        net.awaitOutput(ThreeNodeCluster.ACTIVE, "We have lost the quorum");
        assertThat(net.process(ThreeNodeCluster.ACTIVE).isAlive()).as("the isolated node keeps running").isTrue();
        assertThat(net.holders()).as("the isolated node dropped its copy").containsExactly(ThreeNodeCluster.MEMBER);
    }

    /**
     * Its JVM alone SIGKILLed, the host and its cable up: the host's kernel keeps answering ARP for
     * the address until systemd's ExecStopPost ({@code vxpool release-ip}, emulated here half a
     * second after the kill) removes it; the majority, which has been re-probing, then takes over.
     */
    @Test
    void activeJvmKilledThenReleasedByExecStopPost() throws Exception {
        underLoad("Active JVM killed, ExecStopPost release-ip", sampler -> {
            net.killVxpool(ThreeNodeCluster.ACTIVE);
            TutorialNetwork.sleep(500);
            long start = System.nanoTime();
            NetnsLab.Result release = net.releaseIp(ThreeNodeCluster.ACTIVE);
            assertThat(release.ok()).as(release.output()).isTrue();
            assertThat(release.output()).contains("removed the delegate IP from this host");
            System.out.printf("BENCH netns vxpool release-ip (a JVM of its own, as ExecStopPost runs it) took %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        });
        // The majority logs this only when one of its probes found the address still held. When
        // the release beat its first probe (the JVM's death noticed after the release, 1.3 s after
        // the kill in one CI run), there was nothing to wait for; what must hold either way, one
        // holder at a time and every acknowledged write stored, underLoad has checked.
        if (net.currentOutput(ThreeNodeCluster.MEMBER).contains("the delegate IP answers ARP on another host")) {
            net.awaitOutput(ThreeNodeCluster.MEMBER, "the delegate IP is free again after");
        }
    }

    /**
     * Its JVM alone SIGKILLed and started again 2 s later (systemd's Restart=on-failure without the
     * ExecStopPost): the new JVM removes the leftover address before its election, the majority
     * takes over, and the restarted node joins as a standby.
     */
    @Test
    void activeJvmKilledThenRestarted() throws Exception {
        underLoad("Active JVM killed, restarted after 2 s", sampler -> {
            net.killVxpool(ThreeNodeCluster.ACTIVE);
            TutorialNetwork.sleep(2000);
            // Up to its start timeout: a JVM start took 30 s at load average 20.
            net.startVxpoolAndWait(ThreeNodeCluster.ACTIVE);
        });
        net.awaitOutput(ThreeNodeCluster.ACTIVE, "removed the leftover delegate IP");
        net.awaitOutput(ThreeNodeCluster.ACTIVE, "successfully joined the watchdog cluster as standby node");
        assertThat(net.currentOutput(ThreeNodeCluster.ACTIVE)).doesNotContain("I am the cluster leader");
        assertThat(net.holders()).containsExactly(ThreeNodeCluster.MEMBER);
    }

    private interface Fault {
        void inject(ThreeNodeCluster.HolderSampler sampler) throws Exception;
    }

    private void underLoad(String what, Fault fault) throws Exception {
        net = ThreeNodeCluster.create(dir);
        ThreeNodeCluster.start(net);
        assertThat(net.sqlViaVip("CREATE TABLE " + TABLE + "(id bigint)").ok()).isTrue();

        ThreeNodeCluster.HolderSampler sampler = new ThreeNodeCluster.HolderSampler(net);
        VipWriters writers = new VipWriters(net, TABLE, CLIENTS);
        long faultMs;
        long moved;
        long outage;
        try {
            TutorialNetwork.waitFor("every client writing before the fault", ThreeNodeCluster.TAKEOVER_TIMEOUT,
                    () -> writers.allWroteAfter(0));
            TutorialNetwork.sleep(1000);
            faultMs = writers.nowMs();
            fault.inject(sampler);
            TutorialNetwork.waitFor("the IP on " + ThreeNodeCluster.MEMBER, ThreeNodeCluster.TAKEOVER_TIMEOUT,
                    () -> net.holders().contains(ThreeNodeCluster.MEMBER));
            // From the fault, not from the end of its injection (a restart or release-ip takes a while).
            moved = writers.nowMs() - faultMs;
            TutorialNetwork.waitFor("every client writing again", ThreeNodeCluster.TAKEOVER_TIMEOUT,
                    () -> writers.allWroteAfter(faultMs));
            outage = writers.outageAfter(faultMs).orElseThrow();
            // The clients go on until each has committed a write it started after the outage, on the
            // new Active, then the tally (a fixed 2 s here gave the same proof ~1.5 s later).
            long afterOutage = faultMs + outage + 1;
            TutorialNetwork.waitFor("every client writing after the outage", ThreeNodeCluster.TAKEOVER_TIMEOUT,
                    () -> writers.allWroteAfter(afterOutage));
        } finally {
            writers.close();
            sampler.close();
        }
        // A short outage on a loaded machine gives fewer samples than the frozen node's 10 s; what
        // matters is that they span the fault: the Active holds the IP first, the member last.
        sampler.assertNeverTwo(what + " under load", 10);
        List<ThreeNodeCluster.Sample> samples = sampler.samples();
        assertThat(samples.get(0).holders()).as("first sample").containsExactly(ThreeNodeCluster.ACTIVE);
        assertThat(samples.get(samples.size() - 1).holders()).as("last sample").containsExactly(ThreeNodeCluster.MEMBER);
        assertOutcome(what, writers, faultMs, moved, outage);
    }

    private void assertOutcome(String what, VipWriters writers, long faultMs, long moved, long outage) {
        List<VipWriters.Attempt> attempts = writers.attempts();
        List<VipWriters.Attempt> failed = attempts.stream().filter(a -> !a.ok()).toList();
        System.out.printf("BENCH netns %s: failed writes by psql's message: %s%n", what, failed.stream().collect(
                Collectors.groupingBy(a -> kind(a.error()), TreeMap::new, Collectors.counting())));
        for (VipWriters.Attempt a : failed) {
            String at = " (started " + writers.wallClock(a.startMs()) + "; fault " + writers.wallClock(faultMs) + ", outage until "
                    + writers.wallClock(faultMs + outage) + ")";
            assertThat(a.endMs()).as("failed write %s ended after the fault%s", a, at).isGreaterThanOrEqualTo(faultMs);
            assertThat(a.startMs()).as("failed write %s started inside the outage%s", a, at)
                    .isLessThanOrEqualTo(faultMs + outage);
        }
        long afterOutage = attempts.stream().filter(a -> a.ok() && a.startMs() > faultMs + outage).count();
        assertThat(afterOutage).as("writes after the outage").isGreaterThanOrEqualTo(CLIENTS);
        // The margin to psql's 2 s connect timeout once the new holder serves.
        long slowest = attempts.stream().filter(a -> a.ok() && a.startMs() > faultMs + outage)
                .mapToLong(a -> a.endMs() - a.startMs()).max().orElse(0);

        NetnsLab.Result rows = net.sqlViaVip("SELECT id FROM " + TABLE);
        assertThat(rows.ok()).as(rows.output()).isTrue();
        Set<Long> stored = Arrays.stream(rows.output().strip().split("\\s+")).map(Long::parseLong).collect(Collectors.toSet());
        List<Long> acknowledged = attempts.stream().filter(VipWriters.Attempt::ok).map(VipWriters.Attempt::id).toList();
        assertThat(stored).as("every acknowledged write is in the table").containsAll(acknowledged);

        System.out.printf("BENCH netns three nodes, %s, %d psql clients writing through the IP: IP on the majority after "
                + "%d ms, every client wrote again after %d ms (outage); %d acknowledged writes, all stored; %d failed, "
                + "all inside the outage; slowest write after the outage %d ms%n", what, CLIENTS, moved, outage,
                acknowledged.size(), failed.size(), slowest);
    }

    /** The first line of psql's error, without the parts that differ between attempts (address, port). */
    private static String kind(String error) {
        String first = error.lines().findFirst().orElse("").strip();
        return first.replaceAll("\\d+(\\.\\d+){3}", "IP").replaceAll("port \\d+", "port N");
    }
}
