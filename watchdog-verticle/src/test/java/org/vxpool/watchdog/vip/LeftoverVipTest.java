package org.vxpool.watchdog.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up / ExecStopPost cleanup on this host's real interfaces: 127.0.0.1 is configured on
 * every host, a TEST-NET address on none. Removing a real address is covered in the namespaces
 * (ActiveFaultUnderLoadNetnsTest).
 */
class LeftoverVipTest {
    @TempDir
    Path dir;

    private VipSettings settings(String ip, String down) {
        return new VipSettings(ip, "true", down.replace("LOG", dir.resolve("log").toString()), "true", "true", "", "",
                Duration.ofSeconds(5));
    }

    @Test
    void nothingToDoWithoutADelegateIpOrWhenItIsNotHere() {
        assertThat(LeftoverVip.release(settings("", "echo down >> LOG"))).isEqualTo(LeftoverVip.Outcome.NO_DELEGATE_IP);
        assertThat(LeftoverVip.release(settings("192.0.2.77", "echo down >> LOG")))
                .isEqualTo(LeftoverVip.Outcome.NOT_PRESENT);
        assertThat(dir.resolve("log")).as("if_down_cmd not run").doesNotExist();
    }

    @Test
    void anAddressStillThereAfterIfDownCmdIsAFailure() throws Exception {
        assertThat(LeftoverVip.configuredLocally("127.0.0.1")).isTrue();
        assertThat(LeftoverVip.release(settings("127.0.0.1", "echo down $_IP_$ >> LOG"))).as("ran, but the address stays")
                .isEqualTo(LeftoverVip.Outcome.FAILED);
        assertThat(Files.readAllLines(dir.resolve("log"))).containsExactly("down 127.0.0.1");
        assertThat(LeftoverVip.release(settings("127.0.0.1", "exit 3"))).isEqualTo(LeftoverVip.Outcome.FAILED);
    }
}
