package org.vxpool.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgClusterLifecycleTest {

    @Test
    void stopStartKillPromoteAndRebuild() {
        try (PgCluster pg = PgCluster.builder().standbys(1).start()) {
            PgNode primary = pg.node(0);
            PgNode standby = pg.node(1);
            primary.execute("CREATE TABLE life(x int)");
            primary.execute("INSERT INTO life VALUES (1)");
            standby.waitForReplay();

            standby.stop(StopMode.FAST);
            assertThat(standby.isRunning()).isFalse();
            assertThatThrownBy(standby::isInRecovery).isInstanceOf(PgFixtureException.class);
            standby.start();
            assertThat(standby.isRunning()).isTrue();
            assertThat(standby.isInRecovery()).isTrue();

            long primaryPid = primary.pid().orElseThrow();
            primary.kill();
            assertThat(Processes.isAlive(primaryPid)).isFalse();
            assertThat(primary.isRunning()).isFalse();

            standby.promote();
            assertThat(standby.isInRecovery()).isFalse();
            assertThat(pg.primary()).isSameAs(standby);
            standby.execute("INSERT INTO life VALUES (2)");

            primary.rebuildAsStandbyOf(standby);
            assertThat(primary.isInRecovery()).isTrue();
            primary.waitForReplay();
            assertThat(primary.queryValue("SELECT sum(x) FROM life")).isEqualTo("3");
            assertThat(standby.queryValue("SELECT application_name FROM pg_stat_replication")).isEqualTo("node0");
        }
    }

    @Test
    void killedServerRestartsAfterCrashRecovery() {
        try (PgCluster pg = PgCluster.builder().start()) {
            PgNode node = pg.node(0);
            node.execute("CREATE TABLE crash(x int); INSERT INTO crash VALUES (7)");
            node.kill();
            node.start();
            assertThat(node.queryValue("SELECT x FROM crash")).isEqualTo("7");
            node.stop(StopMode.SMART);
            assertThat(node.isRunning()).isFalse();
            node.start();
            node.stop(StopMode.IMMEDIATE);
            assertThat(node.isRunning()).isFalse();
            assertThat(node.log()).contains("database system was interrupted");
        }
    }

    @Test
    void closeLeavesNoProcessAndNoDirectory() {
        PgCluster pg = PgCluster.builder().standbys(1).start();
        System.out.println("testkit: primary + 1 standby set up in " + pg.setupTime().toMillis() + " ms");
        List<Long> pids = new ArrayList<>();
        for (PgNode node : pg.nodes()) {
            long pid = node.pid().orElseThrow();
            pids.add(pid);
            ProcessHandle.of(pid).orElseThrow().descendants().forEach(d -> pids.add(d.pid()));
        }
        assertThat(pids.size()).isGreaterThan(4);
        assertThat(Files.isDirectory(pg.dir())).isTrue();

        pg.close();

        assertThat(pids).noneMatch(Processes::isAlive);
        assertThat(Files.exists(pg.dir())).isFalse();
        pg.close(); // a second close is harmless
    }
}
