package org.vxpool.watchdog.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.Addresses;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.RecoveryFixture;
import org.vxpool.watchdog.LogCapture;
import org.vxpool.watchdog.WatchdogHarness;
import org.vxpool.watchdog.WatchdogSettings;

/**
 * The tutorial's recovery step on real PostgreSQL: the primary is killed, the standby takes over,
 * and the old primary is rebuilt as a standby of the new one with the shipped scripts, once
 * through the pgpool_recovery extension and once with local commands.
 */
class OnlineRecoveryTest {
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static JsonObject node(int id) {
        return new JsonObject().put("node", id);
    }

    private static boolean failedOver(ClusterView v) {
        return v.node(0).status() == NodeStatus.DOWN && v.node(1).role() == NodeRole.PRIMARY && v.node(1).routable();
    }

    @Test
    void extensionModeRecoversTheOldPrimary() throws Exception {
        try (PgCluster pg = RecoveryFixture.start(dir)) {
            recoverAfterFailover(pg, WatchdogHarness.settings(pg, dir,
                    "recovery_user", pg.user(), "recovery_password", pg.password(),
                    "recovery_1st_stage_command", "recovery_1st_stage", "recovery_timeout", "60"));
        }
    }

    @Test
    void localModeRecoversTheOldPrimary() throws Exception {
        try (PgCluster pg = RecoveryFixture.start(dir)) {
            // The scripts are in every data directory; node 1's survives the recovery of node 0.
            Path scripts = pg.node(1).dataDir();
            recoverAfterFailover(pg, WatchdogHarness.settings(pg, dir, "recovery_mode", "local",
                    "recovery_1st_stage_command", scripts.resolve("recovery_local") + " recovery_1st_stage",
                    "recovery_remote_start_command", scripts.resolve("recovery_local") + " pgpool_remote_start",
                    "recovery_timeout", "60"));
        }
    }

    private void recoverAfterFailover(PgCluster pg, WatchdogSettings settings) throws Exception {
        try (WatchdogHarness wd = new WatchdogHarness(); LogCapture log = LogCapture.capture()) {
            List<JsonObject> progress = new CopyOnWriteArrayList<>();
            wd.vertx.eventBus().<JsonObject>consumer(Addresses.RECOVERY_PROGRESS, m -> progress.add(m.body()));
            wd.deploy(settings, false);
            wd.awaitView("both nodes up", v -> v.node(0).status() == NodeStatus.UP && v.node(1).status() == NodeStatus.UP,
                    FAILOVER_BOUND);
            assertThat(wd.refusal(Addresses.RECOVER, node(1))).isEqualTo("node 1 is up; only a down node can be recovered");

            pg.node(0).kill();
            wd.awaitView("node 0 down, node 1 primary", OnlineRecoveryTest::failedOver, FAILOVER_BOUND);
            pg.node(1).execute("CREATE TABLE written_after_failover AS SELECT 42 AS x");
            long epochBefore = wd.view().epoch();

            long started = System.nanoTime();
            Future<Message<JsonObject>> first = wd.vertx.eventBus().request(Addresses.RECOVER, node(0),
                    new DeliveryOptions().setSendTimeout(180_000));
            assertThat(wd.refusal(Addresses.RECOVER, node(0))).isEqualTo("recovery of node 0 already running");
            assertThat(wd.request(Addresses.RECOVERY_STATUS, new JsonObject()).getBoolean("running")).isTrue();
            JsonObject reply = WatchdogHarness.get(first).body();
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("online recovery of node 0 (recovery_mode = %s): %d ms%n", settings.recovery().mode(), millis);

            assertThat(reply.getBoolean("ok")).isTrue();
            assertThat(reply.getString("message")).isEqualTo("node 0 recovered as a standby of node 1");
            ClusterView after = wd.view();
            assertThat(after.node(0).status()).isEqualTo(NodeStatus.UP);
            assertThat(after.node(0).role()).isEqualTo(NodeRole.STANDBY);
            assertThat(after.node(1).role()).isEqualTo(NodeRole.PRIMARY);
            assertThat(after.epoch()).isGreaterThan(epochBefore);
            wd.awaitPublished("node 0 up as standby", v -> v.node(0).status() == NodeStatus.UP
                    && v.node(0).role() == NodeRole.STANDBY, Duration.ofSeconds(5));
            assertThat(Files.readString(dir.resolve("pgpool_status"))).isEqualTo("up\nup\n");
            log.await("failback done. reconnect host 127.0.0.1(" + pg.node(0).port() + ")", Duration.ofSeconds(5));
            log.await("recovery done", Duration.ofSeconds(5));

            assertThat(pg.node(1).queryValue("SELECT state FROM pg_stat_replication WHERE application_name = 'node0'"))
                    .isEqualTo("streaming");
            assertThat(pg.node(1).queryValue("SELECT active FROM pg_replication_slots WHERE slot_name = 'vxpool_node0'"))
                    .isEqualTo("t");
            assertThat(pg.node(0).isInRecovery()).isTrue();
            pg.node(0).waitForReplay(pg.node(1));
            assertThat(pg.node(0).queryValue("SELECT x FROM written_after_failover")).isEqualTo("42");

            assertStagesPublished(progress);
            JsonObject status = wd.request(Addresses.RECOVERY_STATUS, new JsonObject());
            assertThat(status.getBoolean("running")).isFalse();
            assertThat(status.getJsonArray("recoveries").getJsonObject(0).getString("state")).isEqualTo("done");
            assertThat(wd.refusal(Addresses.RECOVER, node(0))).isEqualTo("node 0 is up; only a down node can be recovered");
        }
    }

    /** Every stage was published as it started, in order, and the last body says done. */
    private static void assertStagesPublished(List<JsonObject> progress) {
        assertThat(progress).extracting(p -> p.getString("stage") + "/" + p.getString("state")).containsSubsequence(
                "first_stage/running", "remote_start/running", "wait_for_connections/running", "failback/running",
                "failback/done");
        JsonObject last = progress.get(progress.size() - 1);
        assertThat(last.getJsonArray("stages")).hasSize(4);
        for (int i = 0; i < 4; i++) {
            JsonObject s = last.getJsonArray("stages").getJsonObject(i);
            assertThat(s.getLong("startedAt")).isPositive();
            assertThat(s.getLong("finishedAt")).isGreaterThanOrEqualTo(s.getLong("startedAt"));
        }
    }

    @Test
    void failingFirstStageLeavesTheNodeDownAndSaysWhy() throws Exception {
        // With the collector, the script's stderr lands in a log file the recovery user can read back.
        try (PgCluster pg = RecoveryFixture.start(dir, PgCluster.builder().setting("logging_collector", "on"));
             WatchdogHarness wd = new WatchdogHarness(); LogCapture log = LogCapture.capture()) {
            wd.deploy(WatchdogHarness.settings(pg, dir, "recovery_user", pg.user(), "recovery_password", pg.password(),
                    "recovery_1st_stage_command", "no_such_script"), false);
            pg.node(0).kill();
            wd.awaitView("node 0 down, node 1 primary", OnlineRecoveryTest::failedOver, FAILOVER_BOUND);
            ClusterView before = wd.view();

            String extension = wd.refusal(Addresses.RECOVER, node(0));
            assertThat(extension).startsWith("recovery of node 0 failed at stage 1st stage (basebackup): ")
                    .contains("pgpool_recovery failed").contains("; server log: ")
                    .contains("no_such_script: not found").endsWith("(primary node 1 127.0.0.1(" + pg.node(1).port() + "))");
            assertThat(wd.view()).isEqualTo(before);
            assertThat(log.lines()).anyMatch(l -> l.contains("failed at stage 1st stage") && l.contains("node 0 stays down"));

            wd.undeploy();
            wd.deploy(WatchdogHarness.settings(pg, dir, "recovery_mode", "local",
                    "recovery_1st_stage_command", "sh -c 'echo pg_basebackup exploded >&2; exit 3'",
                    "recovery_remote_start_command", "true"), false);
            String local = wd.refusal(Addresses.RECOVER, node(0));
            assertThat(local).isEqualTo("recovery of node 0 failed at stage 1st stage (basebackup): "
                    + "recovery_1st_stage_command exited with status 3; output: pg_basebackup exploded");
            ClusterView still = wd.view();
            assertThat(still.node(0).status()).isEqualTo(NodeStatus.DOWN);
            assertThat(still.node(1).role()).isEqualTo(NodeRole.PRIMARY);
            assertThat(Files.readString(dir.resolve("pgpool_status"))).isEqualTo("down\nup\n");
            JsonObject failedBefore = wd.request(Addresses.RECOVERY_STATUS, new JsonObject())
                    .getJsonArray("recoveries").getJsonObject(0);
            assertThat(failedBefore.getString("state")).isEqualTo("failed");
            assertThat(failedBefore.getString("message")).isEqualTo(local);

            // Without waiting: accepted at once, the outcome shows in the status.
            JsonObject started = wd.request(Addresses.RECOVER, node(0).put("wait", false));
            assertThat(started.getString("message")).isEqualTo("recovery of node 0 started");
            assertThat(started.getJsonObject("progress").getString("state")).isEqualTo("running");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            JsonObject latest;
            do {
                Thread.sleep(50);
                latest = wd.request(Addresses.RECOVERY_STATUS, new JsonObject()).getJsonArray("recoveries").getJsonObject(0);
            } while (!(latest.getLong("startedAt") > failedBefore.getLong("startedAt") && "failed".equals(latest.getString("state")))
                    && System.nanoTime() < deadline);
            assertThat(latest.getString("state")).isEqualTo("failed");
            assertThat(latest.getString("message")).isEqualTo(local);
            assertThat(wd.view().node(0).status()).isEqualTo(NodeStatus.DOWN);

            // The later stages fail the same way: the node stays down and the reply names the stage.
            wd.undeploy();
            wd.deploy(WatchdogHarness.settings(pg, dir, "recovery_mode", "local", "recovery_1st_stage_command", "true",
                    "recovery_remote_start_command", "sh -c 'echo no server here >&2; exit 4'"), false);
            assertThat(wd.refusal(Addresses.RECOVER, node(0))).isEqualTo("recovery of node 0 failed at stage remote start: "
                    + "recovery_remote_start_command exited with status 4; output: no server here");
            wd.undeploy();
            // Node 0 is dead: nothing ever accepts connections there.
            wd.deploy(WatchdogHarness.settings(pg, dir, "recovery_mode", "local", "recovery_1st_stage_command", "true",
                    "recovery_remote_start_command", "true", "recovery_timeout", "2"), false);
            assertThat(wd.refusal(Addresses.RECOVER, node(0)))
                    .startsWith("recovery of node 0 failed at stage waiting for connections: ");
            assertThat(wd.view().node(0).status()).isEqualTo(NodeStatus.DOWN);
            assertThat(Files.readString(dir.resolve("pgpool_status"))).isEqualTo("down\nup\n");
        }
    }
}
