package org.vxpool.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessesTest {

    @Test
    void runCapturesExitCodeStdoutAndStderr() {
        ProcessResult r = Processes.command("sh", "-c", "echo out; echo err >&2; exit 3").run();
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
        assertThatThrownBy(r::requireOk).hasMessageContaining("exit 3").hasMessageContaining("err");
    }

    @Test
    void runPassesEnvironmentAndStdin() {
        ProcessResult r = Processes.command("sh", "-c", "read line; echo \"$FOO-$line\"").env("FOO", "bar")
                .stdin("baz\n").run();
        assertThat(r.stdout()).isEqualTo("bar-baz\n");
    }

    @Test
    void runKillsACommandThatOutlivesItsTimeout() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Processes.command("sleep", "30").timeout(Duration.ofMillis(300)).run())
                .isInstanceOf(PgFixtureException.class).hasMessageContaining("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void spawnedProcessTreeIsGoneAfterClose(@TempDir Path dir) {
        Path out = dir.resolve("out.log");
        Processes.Spawned spawned = Processes.command("sh", "-c", "sleep 60 & echo started; wait").start(out);
        spawned.awaitOutput("started", Duration.ofSeconds(10));
        long child = ProcessHandle.of(spawned.pid()).orElseThrow().descendants().findFirst().orElseThrow().pid();
        spawned.close();
        assertThat(Processes.isAlive(spawned.pid())).isFalse();
        assertThat(Processes.isAlive(child)).isFalse();
    }

    @Test
    void awaitOutputFailsFastWhenTheProcessExits(@TempDir Path dir) throws IOException {
        Path out = Files.createFile(dir.resolve("out.log"));
        Processes.Spawned spawned = Processes.command("sh", "-c", "echo bye; exit 2").start(out);
        assertThatThrownBy(() -> spawned.awaitOutput("never", Duration.ofSeconds(30)))
                .hasMessageContaining("exited (2)").hasMessageContaining("bye");
    }

    @Test
    void freePortsAreBindableAndDistinct() throws IOException {
        int a = FreePorts.find();
        int b = FreePorts.find();
        assertThat(a).isNotEqualTo(b);
        assertThat(FreePorts.isFree(a)).isTrue();
        try (ServerSocket taken = new ServerSocket(a, 1, InetAddress.getLoopbackAddress())) {
            assertThat(FreePorts.isFree(a)).isFalse();
        }
    }

    @Test
    void binariesAreFound() {
        assertThat(PgBinaries.get().tool("initdb")).endsWith("/initdb");
        assertThatThrownBy(() -> PgBinaries.get().tool("no-such-tool")).hasMessageContaining("not found");
    }
}
