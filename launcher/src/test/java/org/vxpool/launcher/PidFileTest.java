package org.vxpool.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

    @TempDir
    Path dir;

    @Test
    void claimWritesOurPidAndReleaseRemovesIt() throws Exception {
        PidFile pid = new PidFile(dir.resolve("run/vxpool.pid"));
        pid.claim();
        assertThat(pid.read()).hasValue(ProcessHandle.current().pid());
        pid.release();
        assertThat(pid.path()).doesNotExist();
    }

    @Test
    void aLiveProcessInThePidFileBlocksTheStart() throws Exception {
        Path file = dir.resolve("vxpool.pid");
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        Files.writeString(file, parent + "\n");
        assertThatThrownBy(() -> new PidFile(file).claim())
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining("names process " + parent + ", which is still running");
        assertThat(Files.readString(file)).isEqualTo(parent + "\n");
    }

    @Test
    void aStalePidFileIsTakenOver() throws Exception {
        Path file = dir.resolve("vxpool.pid");
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Files.writeString(file, dead.pid() + "\n");
        new PidFile(file).claim();
        assertThat(new PidFile(file).read()).hasValue(ProcessHandle.current().pid());
    }

    @Test
    void releaseLeavesAnotherProcesssFileAlone() throws Exception {
        Path file = dir.resolve("vxpool.pid");
        Files.writeString(file, "1\n");
        new PidFile(file).release();
        assertThat(file).exists();
    }

    /** NIO's exceptions carry only the path; the operator needs the reason too. */
    @Test
    void aPidFileThatCannotBeWrittenSaysWhy() {
        // Nobody, not even root, can create a directory in /proc.
        Path pid = Path.of("/proc/vxpool-nope/run/vxpool.pid");
        assertThatThrownBy(() -> new PidFile(pid).claim())
                .isInstanceOf(LaunchException.class)
                .hasMessage("could not write pid file " + pid + ": /proc/vxpool-nope: no such file or directory");
        assertThat(Failures.ioReason(new java.nio.file.AccessDeniedException("/root/x")))
                .isEqualTo("/root/x: permission denied");
        assertThat(Failures.ioReason(new java.nio.file.FileAlreadyExistsException("/etc/hosts")))
                .isEqualTo("/etc/hosts: exists and is not a directory");
    }

    @Test
    void garbageIsReportedNotTrusted() throws Exception {
        Path file = dir.resolve("vxpool.pid");
        Files.writeString(file, "hello\n");
        assertThatThrownBy(() -> new PidFile(file).read()).hasMessageContaining("does not hold a pid: \"hello\"");
    }
}
