package org.vxpool.watchdog.vip;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vxpool.testkit.netns.NetnsLab;
import org.vxpool.watchdog.LogCapture;

/**
 * The delegate IP on real interfaces, inside network namespaces only: VipManager brings it up on
 * one host, another host's duplicate-address probe sees it, gratuitous ARP moves a client's ARP
 * cache, and de-escalation takes it down.
 */
class NetnsVipTest {
    private Vertx vertx;
    private NetnsLab lab;

    @BeforeAll
    static void requireLab() {
        NetnsLab.assumeAvailable();
        NetnsLab.assumeProgram("arping");
        NetnsLab.assumeProgram("ping");
    }

    private static final Duration SHORT = Duration.ofMillis(300);

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        lab = NetnsLab.create("osspc19", "osspc20", "someserver");
    }

    @AfterEach
    void tearDown() throws Exception {
        lab.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The commands vxpool builds from pgpool's settings, each run inside the host's namespace. */
    private VipManager vipOn(String host, String delegateIp) {
        VipSettings built = VipCommands.resolve(new VipCommands.Params(delegateIp, "/sbin", null, null, "/usr/sbin",
                null, "", "", lab.interfaceOf(host), lab.prefixLength(), "", Duration.ofSeconds(10)));
        String ns = "ip netns exec " + lab.namespace(host) + " ";
        return new VipManager(vertx, new VipSettings(delegateIp, ns + built.ifUpCmd(), ns + built.ifDownCmd(),
                ns + built.arpingCmd(), ns + built.probeCmd(), "", "", built.timeout()));
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private String neighbourMac(String host, String ip) {
        String out = lab.exec(host, "ip", "neigh", "show", ip).output();
        int at = out.indexOf("lladdr ");
        return at < 0 ? "" : out.substring(at + "lladdr ".length()).split("\\s+")[0];
    }

    @Test
    void delegateIpComesUpIsDetectedAsDuplicateMovesAndGoesDown() throws Exception {
        String vip = lab.address(100);
        VipManager on19 = vipOn("osspc19", vip);
        VipManager on20 = vipOn("osspc20", vip);

        assertThat(await(on19.probeFree())).as("nobody holds the IP yet").isTrue();
        assertThat(await(on19.escalate())).isTrue();
        assertThat(lab.hasAddress("osspc19", vip)).isTrue();
        assertThat(lab.hasAddress("osspc20", vip)).isFalse();
        assertThat(lab.exec("someserver", "ping", "-c1", "-W1", vip).ok()).as("clients reach the IP").isTrue();
        assertThat(neighbourMac("someserver", vip)).isEqualTo(lab.macOf("osspc19"));

        assertThat(await(on20.probeFree())).as("arping -D from osspc20 sees osspc19 answer").isFalse();
        assertThat(await(on20.probeFree(SHORT))).as("the short probe too").isFalse();

        await(on19.deEscalate());
        assertThat(lab.hasAddress("osspc19", vip)).isFalse();
        assertThat(await(on20.probeFree())).as("free again after de-escalation").isTrue();
        try (LogCapture log = LogCapture.capture()) {
            assertThat(await(on20.probeFree(SHORT))).isTrue();
            assertThat(log.contains("nobody answered for the delegate IP:\"" + vip + "\" within 300 ms"))
                    .as("arping stopped by SIGTERM reported its tally: no fallback to the full probe").isTrue();
        }

        // Linux ignores an ARP update for an entry changed less than locktime (1 s) ago.
        Thread.sleep(1100);
        assertThat(await(on20.escalate())).isTrue();
        assertThat(lab.hasAddress("osspc20", vip)).isTrue();
        assertThat(neighbourMac("someserver", vip)).as("gratuitous ARP moved the client's cache without traffic")
                .isEqualTo(lab.macOf("osspc20"));
        assertThat(lab.exec("someserver", "ping", "-c1", "-W1", vip).ok()).isTrue();
        await(on20.deEscalate());
        assertThat(lab.hasAddress("osspc20", vip)).isFalse();
    }
}
