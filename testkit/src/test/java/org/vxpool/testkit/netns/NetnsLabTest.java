package org.vxpool.testkit.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetnsLabTest {

    @BeforeAll
    static void requireLab() {
        NetnsLab.assumeAvailable();
    }

    @Test
    void hostsReachEachOtherOnlyThroughTheLabAndTeardownLeavesNothing(@TempDir Path dir) throws Exception {
        NetnsLab.assumeProgram("ping");
        String prefix;
        Process sleeper;
        try (NetnsLab lab = NetnsLab.create("osspc19", "osspc20", "someserver")) {
            prefix = lab.prefix();
            assertThat(lab.exec("someserver", "ping", "-c1", "-W1", lab.addressOf("osspc19")).ok()).isTrue();
            assertThat(lab.exec("osspc20", "ip", "route", "show", "default").output()).as("no way out").isBlank();
            assertThat(lab.hasAddress("osspc20", lab.addressOf("osspc20"))).isTrue();
            assertThat(lab.hasAddress("osspc20", lab.addressOf("osspc19"))).isFalse();
            assertThat(NetnsLab.run(List.of("ip", "-o", "addr", "show")).output())
                    .as("the lab subnet is not in the root namespace").doesNotContain(lab.addressOf("osspc19"));

            lab.linkDown("osspc19");
            assertThat(lab.exec("someserver", "ping", "-c1", "-W1", lab.addressOf("osspc19")).ok()).isFalse();
            lab.linkUp("osspc19");
            assertThat(lab.exec("someserver", "ping", "-c1", "-W2", lab.addressOf("osspc19")).ok()).isTrue();

            sleeper = lab.start("osspc20", dir.resolve("sleep.log"), "sleep", "600");
            assertThat(sleeper.isAlive()).isTrue();

            Process victim = lab.start("osspc19", dir.resolve("victim.log"), "sleep", "600");
            lab.crashHost("osspc19");
            assertThat(victim.waitFor(10, TimeUnit.SECONDS)).as("crashHost kills the host's processes").isTrue();
            assertThat(sleeper.isAlive()).as("other hosts live on").isTrue();
            assertThat(lab.exec("someserver", "ping", "-c1", "-W1", lab.addressOf("osspc19")).ok()).isFalse();
        }
        assertThat(sleeper.isAlive()).as("teardown kills what the lab started").isFalse();
        assertThat(NetnsLab.run(List.of("ip", "netns", "list")).output()).doesNotContain(prefix);
    }

    @Test
    void teardownRunsAfterAFailedAssertion() {
        String[] prefix = new String[1];
        try (NetnsLab lab = NetnsLab.create("a")) {
            prefix[0] = lab.prefix();
            throw new IllegalStateException("simulated test failure");
        } catch (IllegalStateException expected) {
            // the point: try-with-resources closed the lab anyway
        }
        assertThat(NetnsLab.run(List.of("ip", "netns", "list")).output()).doesNotContain(prefix[0]);
    }
}
