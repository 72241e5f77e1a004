package org.vxpool.watchdog.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.testkit.netns.NetnsLab;

/**
 * One watchdog JVM per host namespace, real Hazelcast over the lab LAN, real delegate IP on the
 * hosts' interfaces. Covers what cannot be shown in one JVM: a host cut off from the network, and
 * the merge when it comes back. Hazelcast uses port 5701 inside each namespace: the namespaces are
 * this test's own, nothing else can bind there.
 */
class NetnsElectionTest {
    private static final int HZ_PORT = 5701;
    @TempDir
    Path dir;
    private NetnsLab lab;
    private final Map<String, Process> jvms = new LinkedHashMap<>();
    private final String clusterName = "vxpool-netns-" + UUID.randomUUID();

    @BeforeAll
    static void requireLab() {
        NetnsLab.assumeAvailable();
        NetnsLab.assumeProgram("arping");
    }

    @AfterEach
    void tearDown(TestInfo test) throws Exception {
        if (lab != null) {
            lab.close();
        }
        // The node logs outlive the temporary directory, for reading after a failure in CI.
        Path keep = Path.of("target", "netns-election-logs", test.getTestMethod().orElseThrow().getName());
        Files.createDirectories(keep);
        try (var logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                Files.copy(log, keep.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private List<String> members(List<String> hosts) {
        return hosts.stream().map(h -> lab.addressOf(h) + ":" + HZ_PORT).toList();
    }

    private void startNode(List<String> hosts, String host, boolean halfVotes, String vip) throws Exception {
        startNode(hosts, host, halfVotes, vip, "-");
    }

    private void startNode(List<String> hosts, String host, boolean halfVotes, String vip, String trusted)
            throws Exception {
        Path log = dir.resolve(host + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), LeadershipNodeMain.class.getName(), clusterName,
                String.valueOf(hosts.indexOf(host)), String.valueOf(halfVotes), vip, lab.interfaceOf(host), trusted));
        cmd.addAll(members(hosts));
        int linesBefore = lines(host).size();
        jvms.put(host, lab.start(host, log, cmd.toArray(new String[0])));
        waitFor(host + " to start", 90, () -> lines(host).stream().skip(linesBefore)
                .anyMatch(l -> l.contains("vxpool-node started")));
    }

    private List<String> lines(String host) {
        try {
            Path log = dir.resolve(host + ".log");
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (Exception e) {
            return List.of();
        }
    }

    private static long waitFor(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(seconds)) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private List<String> holders(List<String> hosts, String vip) {
        return hosts.stream().filter(h -> lab.hasAddress(h, vip)).toList();
    }

    @Test
    void isolatedLeaderDropsTheIpMajorityTakesOverAndTheMergeKeepsOneLeader() throws Exception {
        List<String> hosts = List.of("osspc19", "osspc20", "osspc21");
        lab = NetnsLab.create(hosts.toArray(new String[0]));
        String vip = lab.address(100);
        startNode(hosts, "osspc19", false, vip);
        assertThat(holders(hosts, vip)).as("1 of 3: no quorum, no IP").isEmpty();
        startNode(hosts, "osspc20", false, vip);
        waitFor("the IP on osspc19", 30, () -> lab.hasAddress("osspc19", vip));
        startNode(hosts, "osspc21", false, vip);
        assertThat(holders(hosts, vip)).containsExactly("osspc19");

        long t0 = System.nanoTime();
        lab.linkDown("osspc19");
        long[] dropped = {-1};
        waitFor("the IP to move to the majority", 60, () -> {
            List<String> now = holders(hosts, vip);
            assertThat(now).as("never two holders").hasSizeLessThanOrEqualTo(1);
            if (dropped[0] < 0 && !now.contains("osspc19")) {
                dropped[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            }
            return now.size() == 1 && !now.contains("osspc19");
        });
        long moved = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.printf("BENCH netns election isolated leader: minority dropped the IP after %d ms, majority "
                + "holds it after %d ms%n", dropped[0], moved);
        String newLeader = holders(hosts, vip).get(0);
        assertThat(newLeader).as("earliest start of the majority").isEqualTo("osspc20");
        assertThat(lines("osspc19")).anyMatch(l -> l.contains("We have lost the quorum"));

        int before = lines("osspc19").size();
        lab.linkUp("osspc19");
        waitFor("osspc19 to merge back as standby", 90, () -> lines("osspc19").stream().skip(before)
                .anyMatch(l -> l.contains("successfully joined the watchdog cluster as standby node")));
        Thread.sleep(2000);
        assertThat(holders(hosts, vip)).as("after the merge").containsExactly("osspc20");
    }

    @Test
    void isolatedLeaderThatLosesItsTrustedServerFencesItselfBeforeTheQuorumIsLost() throws Exception {
        List<String> hosts = List.of("osspc19", "osspc20", "osspc21", "someserver");
        List<String> nodes = hosts.subList(0, 3);
        lab = NetnsLab.create(hosts.toArray(new String[0]));
        String vip = lab.address(100);
        String gateway = lab.addressOf("someserver");
        startNode(nodes, "osspc19", false, vip, gateway);
        startNode(nodes, "osspc20", false, vip, gateway);
        waitFor("the IP on osspc19", 30, () -> lab.hasAddress("osspc19", vip));
        startNode(nodes, "osspc21", false, vip, gateway);

        long t0 = System.nanoTime();
        lab.linkDown("osspc19");
        long dropped = waitFor("osspc19 to drop the IP", 30, () -> {
            assertThat(holders(nodes, vip)).as("never two holders").hasSizeLessThanOrEqualTo(1);
            return !lab.hasAddress("osspc19", vip);
        });
        assertThat(holders(nodes, vip)).as("the majority has not even noticed yet").isEmpty();
        waitFor("the IP on the majority", 60, () -> {
            assertThat(holders(nodes, vip)).as("never two holders").hasSizeLessThanOrEqualTo(1);
            return holders(nodes, vip).size() == 1;
        });
        System.out.printf("BENCH netns election isolated leader with a trusted server: IP dropped after %d ms, "
                + "majority holds it after %d ms%n", dropped, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        assertThat(lines("osspc19")).anyMatch(l -> l.contains("none of the trusted servers"));
        assertThat(holders(nodes, vip)).containsExactly("osspc20");
    }

    @Test
    void tutorialPairGracefulStopRestartAndHostCrash() throws Exception {
        List<String> hosts = List.of("osspc19", "osspc20", "someserver");
        List<String> pair = hosts.subList(0, 2);
        lab = NetnsLab.create(hosts.toArray(new String[0]));
        String vip = lab.address(100);
        startNode(pair, "osspc19", true, vip);
        waitFor("the IP on osspc19", 30, () -> lab.hasAddress("osspc19", vip));
        startNode(pair, "osspc20", true, vip);
        assertThat(lines("osspc20")).anyMatch(l -> l.contains("successfully joined the watchdog cluster as standby"));
        assertThat(lab.exec("someserver", "ping", "-c1", "-W1", vip).ok()).isTrue();

        long t0 = System.nanoTime();
        jvms.get("osspc19").destroy();
        waitFor("the IP to move to osspc20", 30, () -> {
            assertThat(holders(pair, vip)).as("never two holders").hasSizeLessThanOrEqualTo(1);
            return lab.hasAddress("osspc20", vip);
        });
        System.out.printf("BENCH netns election graceful stop (SIGTERM): IP up on the standby after %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        assertThat(jvms.get("osspc19").waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(lab.hasAddress("osspc19", vip)).isFalse();
        assertThat(lab.exec("someserver", "ping", "-c1", "-W1", vip).ok()).isTrue();

        startNode(pair, "osspc19", true, vip);
        Thread.sleep(2000);
        assertThat(holders(pair, vip)).as("restarted node stays standby").containsExactly("osspc20");

        long t1 = System.nanoTime();
        lab.crashHost("osspc20");
        waitFor("the IP to move to osspc19", 30, () -> lab.hasAddress("osspc19", vip));
        System.out.printf("BENCH netns election host crash (link down + SIGKILL): IP up on the survivor after %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1));
        assertThat(lab.exec("someserver", "ping", "-c1", "-W1", vip).ok()).isTrue();
    }
}
