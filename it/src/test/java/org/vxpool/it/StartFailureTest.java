package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.testkit.ProcessResult;
import org.vxpool.testkit.Processes;

/** A node that cannot start says why in one line, exits non-zero and leaves nothing behind. */
class StartFailureTest {

    @TempDir
    Path dir;

    private final StartedNodes nodes = new StartedNodes();

    @AfterEach
    void killEverything() {
        nodes.close();
    }

    @Test
    void aBrokenConfigListsEveryProblemAndStartsNothing() throws Exception {
        NodeFiles node = NodeFiles.allocate(dir, "broken");
        Path config = node.config();
        Files.write(config, List.of(
                "# three mistakes, each must be reported with its line",
                "port = 99999",
                "backend_clustering_mode = 'sideways'",
                "num_init_children = many",
                "pid_file_name = '" + node.pidFile() + "'",
                "admin_port = " + node.adminPort()));

        ProcessResult result = VxpoolProcess.launcher("-f", config.toString()).run();

        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.stderr())
                .contains(config + ":2: port: ")
                .contains(config + ":3: backend_clustering_mode: ")
                .contains(config + ":4: num_init_children: ")
                .contains("backend_hostname0");
        assertThat(node.pidFile()).doesNotExist();
        assertThat(VxpoolProcess.health(node.healthUrl())).isEmpty();
    }

    @Test
    void aMissingHbaFileGivenWithDashAIsABadCommandLine() throws Exception {
        NodeFiles node = NodeFiles.allocate(dir, "hba");
        node.writeConfig(false, List.of());
        Path missing = dir.resolve("no_pool_hba.conf");

        ProcessResult result = VxpoolProcess.launcher("-f", node.config().toString(), "-a", missing.toString()).run();

        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.stderr()).contains("vxpool: -a " + missing + ": no such readable file");
        assertThat(node.pidFile()).doesNotExist();
    }

    @Test
    void aBusyAdminPortFailsTheStartWithOneClearLine() throws Exception {
        NodeFiles node = NodeFiles.allocate(dir, "busy");
        node.writeConfig(false, List.of());
        try (ServerSocket busy = new ServerSocket(node.adminPort(), 1, InetAddress.getByName("127.0.0.1"))) {
            ProcessResult result = VxpoolProcess.launcher("-f", node.config().toString()).run();

            assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
            assertThat(result.output())
                    .contains("could not listen on 127.0.0.1:" + node.adminPort() + ": address already in use")
                    .doesNotContain("Exception");
        }
        assertThat(node.pidFile()).doesNotExist();
    }

    @Test
    void aSecondNodeOnTheSamePortsIsRefused() throws Exception {
        NodeFiles first = NodeFiles.allocate(dir, "first");
        first.writeConfig(true, List.of());
        Processes.Spawned running = nodes.start(first);
        VxpoolProcess.awaitMembers(first.healthUrl(), 1, Duration.ofSeconds(60));

        // Same ports, but its own pid file, so the ports themselves must stop it.
        NodeFiles second = new NodeFiles("second", Files.createDirectories(dir.resolve("second")),
                first.proxyPort(), first.wdPort(), first.adminPort());
        second.writeConfig(true, List.of());
        ProcessResult result = VxpoolProcess.launcher("-f", second.config().toString()).run();

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output())
                .contains("could not listen on 127.0.0.1:" + first.wdPort() + ": address already in use (wd_port)")
                .doesNotContain("Exception");
        assertThat(second.pidFile()).doesNotExist();
        assertThat(running.isAlive()).isTrue();

        // The same config twice: the pid file names a live node.
        ProcessResult again = VxpoolProcess.launcher("-f", first.config().toString()).run();
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("pid file " + first.pidFile() + " names process " + running.pid()
                + ", which is still running");
        assertThat(first.pidFile()).hasContent(Long.toString(running.pid()));
    }
}
