package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.PgNode;
import org.vxpool.testkit.ProcessResult;
import org.vxpool.testkit.Processes;

/** Two vxpool JVMs in front of a real primary/standby pair form one watchdog cluster. */
class TwoNodeClusterTest {

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1));

    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final StartedNodes nodes = new StartedNodes();

    @AfterEach
    void killEverything() {
        nodes.close();
    }

    @Test
    void twoNodesSeeEachOtherAndTheSurvivorSeesTheStop() throws Exception {
        List<NodeFiles> pair = NodeFiles.watchdogPair(dir, PG.cluster().nodes().stream().map(PgNode::port).toList());
        NodeFiles a = pair.get(0);
        NodeFiles b = pair.get(1);
        Files.writeString(a.config(), "memqcache_total_size = 64MB\n", StandardOpenOption.APPEND);
        int unsupportedLine = Files.readAllLines(a.config()).size();

        Processes.Spawned nodeA = nodes.start(a);
        Processes.Spawned nodeB = nodes.start(b);
        VxpoolProcess.Health healthA = VxpoolProcess.awaitMembers(a.healthUrl(), 2, JOIN_TIMEOUT);
        VxpoolProcess.awaitMembers(b.healthUrl(), 2, JOIN_TIMEOUT);
        assertThat(healthA.body().getString("status")).isEqualTo("UP");
        assertThat(healthA.cluster().getBoolean("clustered")).isTrue();
        assertThat(a.pidFile()).hasContent(Long.toString(nodeA.pid()));
        assertThat(nodeA.output()).contains(a.config() + ":" + unsupportedLine + ": memqcache_total_size: ");

        ProcessResult stopA = VxpoolProcess.launcher("-f", a.config().toString(), "stop").run();
        assertThat(stopA.exitCode()).as(stopA.output()).isZero();
        assertThat(stopA.output()).contains("vxpool stopped");
        assertThat(nodeA.waitFor(Duration.ofSeconds(5))).contains(0);
        assertThat(a.pidFile()).doesNotExist();
        assertThat(a.logdir().resolve("vxpool.log")).content().contains("admin API listening on 127.0.0.1:" + a.adminPort());

        VxpoolProcess.awaitMembers(b.healthUrl(), 1, Duration.ofSeconds(30));

        ProcessResult stopB = VxpoolProcess.launcher("-f", b.config().toString(), "-m", "immediate", "stop").run();
        assertThat(stopB.exitCode()).as(stopB.output()).isZero();
        assertThat(nodeB.waitFor(Duration.ofSeconds(5))).contains(0);
        assertThat(b.pidFile()).doesNotExist();
        assertThat(List.of(nodeA, nodeB)).noneMatch(Processes.Spawned::isAlive);
        assertThat(Processes.isAlive(nodeA.pid()) || Processes.isAlive(nodeB.pid())).isFalse();
    }

    @Test
    void stopWithoutARunningNodeSaysSo() throws Exception {
        NodeFiles a = NodeFiles.allocate(dir, "lonely");
        a.writeConfig(false, List.of());

        ProcessResult stop = VxpoolProcess.launcher("-f", a.config().toString(), "stop").run();

        assertThat(stop.exitCode()).isEqualTo(1);
        assertThat(stop.stderr()).contains("pid file " + a.pidFile() + " does not exist; is vxpool running?");
    }
}
