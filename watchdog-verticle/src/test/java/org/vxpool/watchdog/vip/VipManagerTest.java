package org.vxpool.watchdog.vip;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands that write marker files instead of touching interfaces; real processes, real timeouts. */
class VipManagerTest {
    @TempDir
    Path dir;
    private Vertx vertx;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private VipSettings settings(String up, String probe, Duration timeout) {
        String log = dir.resolve("log").toString();
        return new VipSettings("10.250.9.9", up.replace("LOG", log), "echo down $_IP_$ >> " + log,
                "echo arping $_IP_$ >> " + log, probe, "echo escalate >> " + log, "echo de-escalate >> " + log,
                timeout);
    }

    private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void escalationAndDeEscalationRunInPgpoolsOrder() throws Exception {
        VipManager vip = new VipManager(vertx, settings("echo up $_IP_$ >> LOG", "exit 0", Duration.ofSeconds(5)));
        assertThat(await(vip.probeFree())).isTrue();
        assertThat(await(vip.escalate())).isTrue();
        assertThat(vip.holdsVip()).isTrue();
        await(vip.deEscalate());
        assertThat(vip.holdsVip()).isFalse();
        assertThat(Files.readAllLines(dir.resolve("log"))).containsExactly(
                "escalate", "up 10.250.9.9", "arping 10.250.9.9", "de-escalate", "down 10.250.9.9");
    }

    @Test
    void failedUpCommandLeavesTheIpDown() throws Exception {
        VipManager vip = new VipManager(vertx, settings("echo nope; exit 2", "exit 0", Duration.ofSeconds(5)));
        assertThat(await(vip.escalate())).isFalse();
        assertThat(vip.holdsVip()).isFalse();
        assertThat(Files.readAllLines(dir.resolve("log"))).containsExactly("escalate");
    }

    @Test
    void hangingCommandIsKilledAtTheTimeout() throws Exception {
        VipManager vip = new VipManager(vertx, settings("sleep 30", "exit 0", Duration.ofMillis(300)));
        long start = System.nanoTime();
        assertThat(await(vip.escalate())).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void probeAnsweredMeansTakenButABrokenProbeDoesNotBlock() throws Exception {
        assertThat(await(new VipManager(vertx, settings("true", "exit 1", Duration.ofSeconds(5))).probeFree()))
                .isFalse();
        assertThat(await(new VipManager(vertx, settings("true", "exit 127", Duration.ofSeconds(5))).probeFree()))
                .isTrue();
    }

    /**
     * A stand-in for iputils arping: it listens until asked to finish (SIGTERM), then prints its
     * tally with {@code sent} probes and exits 0, as arping -D does when nobody answered.
     */
    private String fakeArping(int sent) throws Exception {
        Path script = dir.resolve("arping-" + sent + ".sh");
        Files.writeString(script, "echo probe >> " + dir.resolve("probes") + "\n"
                + "trap 'kill $pid; echo \"Sent " + sent + " probes (1 broadcast(s))\"; exit 0' TERM\n"
                + "sleep 20 & pid=$!\nwait $pid\n");
        return "sh " + script;
    }

    @Test
    void shortProbeStopsArpingAtTheDeadlineAndTrustsItsTally() throws Exception {
        VipManager vip = new VipManager(vertx, settings("true", fakeArping(1), Duration.ofSeconds(5)));
        assertThat(await(vip.probeFree(Duration.ofMillis(200)))).isTrue();
        assertThat(Files.readAllLines(dir.resolve("probes"))).as("one probe, stopped at the deadline").hasSize(1);
    }

    @Test
    void shortProbeThatSentNothingFallsBackToTheFullProbe() throws Exception {
        VipManager vip = new VipManager(vertx, settings("true", fakeArping(0), Duration.ofSeconds(2)));
        assertThat(await(vip.probeFree(Duration.ofMillis(200)))).isTrue();
        assertThat(Files.readAllLines(dir.resolve("probes"))).as("the short probe, then the full one").hasSize(2);
    }

    @Test
    void shortProbeAnsweredMeansTaken() throws Exception {
        assertThat(await(new VipManager(vertx, settings("true", "exit 1", Duration.ofSeconds(5)))
                .probeFree(Duration.ofMillis(200)))).isFalse();
    }
}
