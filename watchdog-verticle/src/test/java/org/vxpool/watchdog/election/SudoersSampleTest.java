package org.vxpool.watchdog.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vxpool.common.config.ConfigLoader;
import org.vxpool.watchdog.vip.VipCommands;
import org.vxpool.watchdog.vip.VipSettings;

/**
 * {@code conf/sudoers.vxpool} allows exactly the command lines vxpool runs through sudo for
 * {@code conf/vxpool-3node.conf} (if_up_cmd, if_down_cmd, arping_cmd and the {@code arping -D}
 * probe built from them, with the delegate IP filled in), nothing else, and visudo accepts it.
 */
class SudoersSampleTest {
    private static final Path CONF = Path.of("..", "conf");
    private static final String SUDO = "/usr/bin/sudo ";

    @Test
    void everySudoCommandOfTheSampleConfigIsAllowedAsRun() throws IOException {
        VipSettings vip = LeadershipSettings.from(ConfigLoader.load(CONF.resolve("vxpool-3node.conf"),
                OptionalInt.of(0))).vip();
        List<String> allowed = allowedCommands();
        for (String command : List.of(vip.ifUpCmd(), vip.ifDownCmd(), vip.arpingCmd(), vip.probeCmd())) {
            String run = vip.expand(command);
            assertThat(run).as("the sample's delegate-IP commands go through sudo").startsWith(SUDO);
            String asRoot = run.substring(SUDO.length());
            assertThat(allowed).as("conf/sudoers.vxpool allows what vxpool runs").contains(asRoot);
            String program = asRoot.split(" ")[0];
            String installed = VipCommands.locate("", Path.of(program).getFileName().toString());
            if (Files.isExecutable(Path.of(installed))) {
                assertThat(Path.of(program)).as("the sample names the program where this system has it").isExecutable();
            }
        }
    }

    @Test
    void grantsNothingButTheDelegateIpCommands() throws IOException {
        List<String> rules = logicalLines();
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0)).startsWith("Cmnd_Alias VXPOOL_VIP = ");
        assertThat(rules.get(1)).isEqualTo("vxpool ALL=(root) NOPASSWD: VXPOOL_VIP");
        assertThat(allowedCommands()).allSatisfy(c -> assertThat(c)
                .as("no wildcard: sudo's * also matches spaces, so extra arguments")
                .doesNotContain("*").matches("/(usr/)?s?bin/(ip addr (add|del)|arping) .*"));
    }

    @Test
    void passesVisudo() throws Exception {
        Path visudo = Path.of("/usr/sbin/visudo");
        assumeTrue(Files.isExecutable(visudo), "visudo is not installed (Debian package sudo, bin/install-deps)");
        Process p = new ProcessBuilder(visudo.toString(), "-c", "-f", CONF.resolve("sudoers.vxpool").toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("parsed OK");
    }

    /** The sample without comments, continuation lines joined. */
    private static List<String> logicalLines() throws IOException {
        String text = String.join("\n", Files.readAllLines(CONF.resolve("sudoers.vxpool")).stream()
                .filter(l -> !l.strip().startsWith("#")).toList());
        return Arrays.stream(text.replaceAll("\\\\\n\\s*", "").split("\n")).map(String::strip)
                .filter(l -> !l.isEmpty()).toList();
    }

    /** The commands of {@code Cmnd_Alias VXPOOL_VIP}, sudoers' {@code \:} escapes undone. */
    private static List<String> allowedCommands() throws IOException {
        String alias = logicalLines().stream().filter(l -> l.startsWith("Cmnd_Alias VXPOOL_VIP = ")).findFirst()
                .orElseThrow().substring("Cmnd_Alias VXPOOL_VIP = ".length());
        return Arrays.stream(alias.split("(?<!\\\\),")).map(String::strip).map(c -> c.replace("\\:", ":")).toList();
    }
}
