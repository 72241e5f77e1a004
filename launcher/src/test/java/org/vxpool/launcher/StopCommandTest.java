package org.vxpool.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vxpool stop} against real processes standing in for a node. */
class StopCommandTest {

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void killLeftovers() {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void signalsTheProcessAndWaitsForItToGo() throws Exception {
        Process node = start("sleep", "60");
        Path pidFile = pidFileOf(node.pid());

        int status = stop(pidFile, ShutdownMode.FAST, Duration.ofSeconds(10));

        assertThat(status).as(text(err)).isZero();
        assertThat(text(out)).contains("SIGALRM to " + node.pid()).contains("vxpool stopped");
        assertThat(node.waitFor(1, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aNodeThatDoesNotLeaveInTimeIsAFailure() throws Exception {
        Process stubborn = start("bash", "-c", "trap '' TERM; sleep 60 & wait; sleep 60");
        Thread.sleep(200); // let bash install its trap before the signal comes
        Path pidFile = pidFileOf(stubborn.pid());

        int status = stop(pidFile, ShutdownMode.SMART, Duration.ofSeconds(1));

        assertThat(status).isEqualTo(1);
        assertThat(text(err)).contains("process " + stubborn.pid() + " is still running after 1 s")
                .contains("try -m fast");
        assertThat(stubborn.isAlive()).isTrue();
    }

    @Test
    void aStalePidFileIsReportedNotSignalled() throws Exception {
        Process dead = start("true");
        dead.waitFor();
        Path pidFile = pidFileOf(dead.pid());

        assertThat(stop(pidFile, ShutdownMode.SMART, Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(text(err)).contains("names process " + dead.pid() + ", which is not running (stale pid file?)");
    }

    private int stop(Path pidFile, ShutdownMode mode, Duration timeout) {
        return new StopCommand(new PidFile(pidFile), mode, timeout).run(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Process start(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(process);
        return process;
    }

    private Path pidFileOf(long pid) throws Exception {
        return Files.writeString(dir.resolve("vxpool.pid"), pid + "\n");
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }
}
