package org.vxpool.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.Addresses;
import org.vxpool.common.config.ConfigReload;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.testkit.PgBinaries;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgNode;
import org.vxpool.testkit.StopMode;
import org.vxpool.testkit.Waits;

/**
 * failover_command and follow_primary_command get pgpool's placeholder values. The failover
 * command promotes the new main node itself, as operators' scripts do.
 */
class FailoverCommandTest {
    private static final String ALL = "%d %h %p %D %m %H %M %P %r %R %N %S";

    @TempDir
    Path dir;

    @Test
    void commandsReceiveEveryPlaceholder() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(2).start(); WatchdogHarness wd = new WatchdogHarness();
             LogCapture log = LogCapture.capture()) {
            Path failoverArgs = dir.resolve("failover.args");
            Path followArgs = dir.resolve("follow.args");
            String psql = PgBinaries.get().tool("psql");
            String failover = "echo \"" + ALL + " %%\" >> " + failoverArgs + "; PGPASSWORD=" + pg.password() + " "
                    + psql + " -h %H -p %r -U " + pg.user() + " -d postgres -Atc 'SELECT pg_promote()'";
            String follow = "echo \"" + ALL + "\" >> " + followArgs;
            wd.deploy(WatchdogHarness.settings(pg, dir, "failover_command", failover, "follow_primary_command", follow),
                    false);

            pg.node(0).stop(StopMode.IMMEDIATE);
            wd.awaitView("node 1 primary", v -> v.node(0).status() == NodeStatus.DOWN
                    && v.node(1).role() == NodeRole.PRIMARY, Duration.ofSeconds(30));
            log.await("failover done. shutdown host", Duration.ofSeconds(10));
            log.await("follow_primary_command: exited with status 0", Duration.ofSeconds(10));

            PgNode n0 = pg.node(0);
            PgNode n1 = pg.node(1);
            PgNode n2 = pg.node(2);
            assertThat(Files.readAllLines(failoverArgs)).containsExactly(String.join(" ",
                    "0", n0.host(), port(n0), n0.dataDir().toString(),
                    "1", n1.host(), "0", "0", port(n1), n1.dataDir().toString(), n0.host(), port(n0), "%"));
            assertThat(Files.readAllLines(followArgs)).containsExactly(String.join(" ",
                    "2", n2.host(), port(n2), n2.dataDir().toString(),
                    "1", n1.host(), "0", "0", port(n1), n1.dataDir().toString(), n0.host(), port(n0)));
            assertThat(log.lines()).contains("failover_command: exited with status 0");
            assertThat(log.lines()).noneMatch(l -> l.contains("with pg_promote()"));
        }
    }

    /**
     * pgpool runs follow_primary_command in a child forked after the failover is done, for every
     * node but the new primary, and pcp_promote_node's switchover relies on it to turn the old
     * primary into a standby; its sample script ends with pcp_attach_node. Here the script waits
     * until the test has had an operator request answered: run inside the failover, it would wait
     * for the switchover that waits for it.
     */
    @Test
    void switchoverFollowsTheOldPrimaryTooAndTheFollowScriptDoesNotHoldTheActiveNode() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(2).start(); WatchdogHarness wd = new WatchdogHarness();
             LogCapture log = LogCapture.capture()) {
            Path followArgs = dir.resolve("follow.args");
            Path release = dir.resolve("release");
            String follow = "echo '%d %m %P' >> " + followArgs + "; while [ ! -f " + release + " ]; do sleep 0.05; done";
            wd.deploy(WatchdogHarness.settings(pg, dir, "follow_primary_command", follow), false);

            JsonObject reply = wd.request(Addresses.PROMOTE, new JsonObject().put("node", 1).put("switchover", true));
            assertThat(reply.getString("message")).isEqualTo("node 1 promoted, node 0 detached");
            Waits.until(Duration.ofSeconds(30), "the first follow_primary_command to start", () -> lines(followArgs) == 1);
            // what the script's attach gets before it has turned node 0 into a standby
            assertThat(wd.refusal(Addresses.ATTACH, new JsonObject().put("node", 0)))
                    .isEqualTo("node 0 is not in recovery while node 1 is primary; attaching it would make two primaries");

            Files.createFile(release);
            Waits.until(Duration.ofSeconds(30), "both follow_primary_commands to end",
                    () -> log.lines().stream().filter(l -> l.contains("follow_primary_command: exited with status 0")).count() == 2);
            assertThat(Files.readAllLines(followArgs)).containsExactly("0 1 0", "2 1 0");
            ClusterView view = wd.view();
            assertThat(view.node(0).status()).isEqualTo(NodeStatus.DOWN);
            assertThat(view.node(1).role()).isEqualTo(NodeRole.PRIMARY);
            assertThat(view.node(2).status()).isEqualTo(NodeStatus.UP);
            assertThat(pg.node(1).isInRecovery()).isFalse();
        }
    }

    /**
     * pgpool applies failover_command, failback_command and the other failover settings on a
     * reload; audit8 reloaded a new failover_command (POST /reload answered "changed:
     * failover_command") and the next failover still ran the old one.
     */
    @Test
    void reloadedCommandsAreTheOnesThatRun() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).start(); WatchdogHarness wd = new WatchdogHarness();
             LogCapture log = LogCapture.capture()) {
            Path ran = dir.resolve("ran");
            wd.deploy(new WatchdogVerticle(WatchdogHarness.config(pg, dir, "failover_command", "echo old-%d >> " + ran),
                    false, null));
            ConfigReload.publish(wd.vertx, WatchdogHarness.config(pg, dir, "failover_command", "echo new-%d >> " + ran,
                    "failback_command", "echo back-%d >> " + ran));
            log.await("reload: failover and recovery settings applied", Duration.ofSeconds(10));

            assertThat(wd.request(Addresses.DETACH, new JsonObject().put("node", 1)).getBoolean("ok")).isTrue();
            assertThat(wd.request(Addresses.ATTACH, new JsonObject().put("node", 1)).getBoolean("ok")).isTrue();
            assertThat(Files.readAllLines(ran)).containsExactly("new-1", "back-1");
        }
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void failingCommandIsLoggedWithItsStatusAndOutput() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).start(); WatchdogHarness wd = new WatchdogHarness();
             LogCapture log = LogCapture.capture()) {
            wd.deploy(WatchdogHarness.settings(pg, dir, "failover_command", "echo out-%d; echo err-%d >&2; exit 3"), false);
            pg.node(1).stop(StopMode.FAST);
            log.await("failover_command: exited with status 3", Duration.ofSeconds(30));
            assertThat(log.lines()).contains("failover_command: stdout: out-1", "failover_command: stderr: err-1");
            assertThat(List.of(wd.view().node(1).status())).containsExactly(NodeStatus.DOWN);
        }
    }

    private static String port(PgNode n) {
        return Integer.toString(n.port());
    }
}
