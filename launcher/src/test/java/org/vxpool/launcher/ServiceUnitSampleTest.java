package org.vxpool.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conf/vxpool.service}: runs the node as an unprivileged user with exactly the two
 * capabilities the delegate IP needs, starts it with arguments the launcher accepts, stops it with
 * a signal the node answers with a shutdown that releases the IP, and systemd reads it without a
 * complaint.
 */
class ServiceUnitSampleTest {
    private static final Path UNIT = Path.of("..", "conf", "vxpool.service");
    private static final Set<String> CAPABILITIES = Set.of("CAP_NET_ADMIN", "CAP_NET_RAW");

    @TempDir
    Path dir;

    @Test
    void unprivilegedUserWithOnlyTheDelegateIpCapabilities() throws IOException {
        Map<String, String> service = section("Service");
        assertThat(service.get("User")).isNotBlank().isNotEqualTo("root");
        assertThat(words(service.get("AmbientCapabilities"))).isEqualTo(CAPABILITIES);
        assertThat(words(service.get("CapabilityBoundingSet"))).isEqualTo(CAPABILITIES);
        assertThat(service).as("sudo is the other way, not needed here").containsEntry("NoNewPrivileges", "yes");
    }

    @Test
    void startsAndStopsTheWayTheLauncherExpects() throws Exception {
        Map<String, String> service = section("Service");
        assertThat(program(service.get("ExecStart"))).endsWith("/bin/vxpool");
        CommandLine cli = arguments(service.get("ExecStart"));
        assertThat(cli.verb()).isEqualTo(CommandLine.Verb.START);
        assertThat(cli.configFile()).isEqualTo(CommandLine.DEFAULT_CONFIG);
        String signal = service.get("KillSignal").replaceFirst("^SIG", "");
        assertThat(ShutdownMode.FAST.signals()).as("KillSignal asks for pgpool's fast shutdown").contains(signal);
        assertThat(service).as("the signal goes to the JVM alone").containsEntry("KillMode", "mixed");
    }

    /**
     * A SIGKILLed or OOM-killed JVM never runs if_down_cmd; systemd runs ExecStopPost after every
     * exit, so the unit releases the delegate IP there, with the same config file as ExecStart.
     */
    @Test
    void releasesTheDelegateIpAfterAnyExitAndRestartsAfterAFailure() throws Exception {
        Map<String, String> service = section("Service");
        String post = service.get("ExecStopPost");
        assertThat(post).as("ExecStopPost").isNotNull();
        // "-": a failed release is logged, it does not turn a clean stop into a failed unit.
        String release = post.replaceFirst("^-", "");
        assertThat(program(release)).isEqualTo(program(service.get("ExecStart")));
        CommandLine cli = arguments(release);
        assertThat(cli.verb()).isEqualTo(CommandLine.Verb.RELEASE_IP);
        assertThat(cli.configFile()).as("the config ExecStart uses")
                .isEqualTo(arguments(service.get("ExecStart")).configFile());
        assertThat(service).containsEntry("Restart", "on-failure");
        assertThat(Integer.parseInt(service.get("RestartSec").replaceFirst("s$", ""))).isBetween(1, 5);
    }

    @Test
    void systemdAnalyzeFindsNothingToSay() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
        // verify wants the ExecStart program to exist: point it at this checkout's bin/vxpool.
        Path unit = dir.resolve("vxpool.service");
        Files.writeString(unit, Files.readString(UNIT).replace("/opt/vxpool/bin/vxpool",
                Path.of("..", "bin", "vxpool").toAbsolutePath().normalize().toString()));
        Process p = new ProcessBuilder(analyze.toString(), "verify", unit.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // It also reports on other units installed on the machine; only lines about ours count.
        List<String> ours = output.lines().filter(l -> l.contains(unit.toString()) || l.startsWith("vxpool.service"))
                .toList();
        assertThat(ours).as(output).isEmpty();
        assertThat(p.exitValue()).as(output).isZero();
    }

    /** Key/value lines of one {@code [Section]}, comments left out. */
    private static Map<String, String> section(String name) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        String current = "";
        for (String line : Files.readAllLines(UNIT)) {
            String l = line.strip();
            if (l.startsWith("[") && l.endsWith("]")) {
                current = l.substring(1, l.length() - 1);
            } else if (current.equals(name) && !l.isEmpty() && !l.startsWith("#") && l.contains("=")) {
                values.put(l.substring(0, l.indexOf('=')).strip(), l.substring(l.indexOf('=') + 1).strip());
            }
        }
        return values;
    }

    private static String program(String execLine) {
        return execLine.split("\\s+")[0];
    }

    private static CommandLine arguments(String execLine) throws UsageException {
        List<String> argv = Arrays.asList(execLine.split("\\s+"));
        return CommandLine.parse(argv.subList(1, argv.size()).toArray(String[]::new));
    }

    private static Set<String> words(String value) {
        return value == null ? Set.of() : Arrays.stream(value.split("\\s+")).collect(Collectors.toSet());
    }
}
