package org.vxpool.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.testkit.PgCluster;

class StandbyFailureTest {
    @TempDir
    Path dir;

    @Test
    void killedStandbyGoesDownAndThePrimaryIsUntouchedThenStatusFileAndMinusD() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).start(); WatchdogHarness wd = new WatchdogHarness();
             LogCapture log = LogCapture.capture()) {
            Path args = dir.resolve("failover.args");
            WatchdogSettings settings = WatchdogHarness.settings(pg, dir, "failover_command", "echo '%d %m %M %P' >> " + args);
            wd.deploy(settings, false);
            long primaryPid = pg.node(0).pid().orElseThrow();

            pg.node(1).kill();
            ClusterView view = wd.awaitView("node 1 down", v -> v.node(1).status() == NodeStatus.DOWN, Duration.ofSeconds(30));
            log.await("failover done. shutdown host 127.0.0.1(" + pg.node(1).port() + ")", Duration.ofSeconds(10));

            assertThat(view.node(0).status()).isEqualTo(NodeStatus.UP);
            assertThat(view.node(0).role()).isEqualTo(NodeRole.PRIMARY);
            assertThat(log.lines()).contains("failover: set new primary node: 0", "failover: set new main node: 0");
            assertThat(log.lines()).noneMatch(l -> l.contains("pg_promote"));
            assertThat(pg.node(0).pid()).hasValue(primaryPid);
            pg.node(0).execute("CREATE TABLE still_writable(x int)");
            // %d failed standby, %m new main (the primary), %M old main, %P old primary
            assertThat(Files.readAllLines(args)).containsExactly("1 0 0 0");
            assertThat(Files.readString(dir.resolve("pgpool_status"))).isEqualTo("up\ndown\n");

            // The standby comes back, but the status file keeps it detached across a restart...
            pg.node(1).start();
            wd.restart(settings, false);
            assertThat(wd.view().node(1).status()).isEqualTo(NodeStatus.DOWN);

            // ...until -D discards the file.
            wd.restart(settings, true);
            ClusterView fresh = wd.view();
            assertThat(fresh.node(1).status()).isEqualTo(NodeStatus.UP);
            assertThat(fresh.node(1).role()).isEqualTo(NodeRole.STANDBY);
            assertThat(fresh.node(0).role()).isEqualTo(NodeRole.PRIMARY);
            assertThat(Files.readString(dir.resolve("pgpool_status"))).isEqualTo("up\nup\n");
        }
    }
}
