package org.vxpool.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.Addresses;
import org.vxpool.common.config.BackendFlag;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.testkit.PgCluster;
import org.vxpool.watchdog.health.HealthStats;

class InitialViewTest {
    @TempDir
    Path logdir;

    @Test
    void startFindsThePrimaryPublishesAndPersists() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).start(); WatchdogHarness wd = new WatchdogHarness()) {
            wd.deploy(WatchdogHarness.settings(pg, logdir), false);

            ClusterView view = wd.view();
            assertThat(view.node(0).status()).isEqualTo(NodeStatus.UP);
            assertThat(view.node(0).role()).isEqualTo(NodeRole.PRIMARY);
            assertThat(view.node(1).status()).isEqualTo(NodeStatus.UP);
            assertThat(view.node(1).role()).isEqualTo(NodeRole.STANDBY);
            assertThat(view.epoch()).isPositive();
            assertThat(wd.awaitPublished("the initial view", view::equals, Duration.ofSeconds(5))).isEqualTo(view);
            assertThat(Files.readString(logdir.resolve("pgpool_status"))).isEqualTo("up\nup\n");

            // The Active node also wrote the map that a joining node would read.
            JsonObject fromMap = WatchdogHarness.get(wd.vertx.sharedData().<Integer, JsonObject>getAsyncMap(
                    Addresses.BACKENDS_MAP).compose(m -> m.get(0)));
            assertThat(fromMap.getString("role")).isEqualTo("PRIMARY");
            assertThat(fromMap.getLong("epoch")).isEqualTo(view.epoch());
        }
    }

    /** backend_hostname as a socket directory: checks, the primary search and the role probe use the socket. */
    @Test
    void backendsGivenAsSocketDirectoriesAreCheckedOverUnixSockets() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).start();
             WatchdogHarness wd = new WatchdogHarness(Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)))) {
            assertThat(wd.vertx.isNativeTransportEnabled()).as("native transport, as the launcher runs").isTrue();
            String socketDir = pg.dir().toString();
            wd.deploy(WatchdogHarness.settings(pg, logdir, "backend_hostname0", socketDir,
                    "backend_hostname1", socketDir), false);

            ClusterView view = wd.view();
            assertThat(view.node(0).host()).isEqualTo(socketDir);
            assertThat(view.node(0).status()).isEqualTo(NodeStatus.UP);
            assertThat(view.node(0).role()).isEqualTo(NodeRole.PRIMARY);
            assertThat(view.node(1).status()).isEqualTo(NodeStatus.UP);
            assertThat(view.node(1).role()).isEqualTo(NodeRole.STANDBY);
            JsonArray rows = rowsAfterChecks(wd, 2);
            assertThat(rows.getJsonArray(0).getString(3)).isEqualTo("up");
            assertThat(rows.getJsonArray(1).getString(3)).isEqualTo("up");
            assertThat(rows.getJsonArray(0).getString(8)).as("fail_count of node 0").isEqualTo("0");
            assertThat(rows.getJsonArray(1).getString(8)).as("fail_count of node 1").isEqualTo("0");
        }
    }

    @Test
    void healthStatsHavePgpoolColumnsAndCountChecks() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).start(); WatchdogHarness wd = new WatchdogHarness()) {
            wd.deploy(WatchdogHarness.settings(pg, logdir), false);
            rowsAfterChecks(wd, 2);

            JsonObject stats = wd.request(Addresses.HEALTH_STATS, new JsonObject());
            assertThat(stats.getJsonArray("columns").getList()).isEqualTo(HealthStats.COLUMNS);
            JsonArray rows = stats.getJsonArray("rows");
            assertThat(rows).hasSize(2);
            JsonArray row0 = rows.getJsonArray(0);
            assertThat(row0.getString(0)).isEqualTo("0");
            assertThat(row0.getString(2)).isEqualTo(Integer.toString(pg.node(0).port()));
            assertThat(row0.getString(3)).isEqualTo("up");
            assertThat(row0.getString(4)).isEqualTo("primary");
            assertThat(Long.parseLong(row0.getString(6))).as("total_count").isGreaterThanOrEqualTo(1);
            assertThat(row0.getString(7)).as("success_count").isEqualTo(row0.getString(6));
            assertThat(row0.getString(8)).as("fail_count").isEqualTo("0");
            assertThat(row0.getString(17)).as("last_successful_health_check").isNotEmpty();
            assertThat(row0.getString(19)).as("last_failed_health_check").isEmpty();
        }
    }

    /**
     * node2 is promoted behind vxpool's back: two nodes claim primary. node1 still streams from
     * node0, so node0 is the real one and node2 gets no traffic.
     */
    @Test
    void falsePrimaryIsKeptOutOfTheView() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(2).start(); WatchdogHarness wd = new WatchdogHarness();
             LogCapture log = LogCapture.capture()) {
            pg.node(2).promote();
            wd.deploy(WatchdogHarness.settings(pg, logdir), false);

            ClusterView view = wd.view();
            assertThat(view.primary()).hasValueSatisfying(p -> assertThat(p.id()).isZero());
            assertThat(view.node(1).role()).isEqualTo(NodeRole.STANDBY);
            assertThat(view.node(2).status()).isEqualTo(NodeStatus.QUARANTINE);
            assertThat(view.node(2).routable()).isFalse();
            log.await("nodes [0, 2] all claim to be primary", Duration.ofSeconds(1));
        }
    }

    /** ALWAYS_PRIMARY wins over what pg_is_in_recovery() says (a managed primary behind a proxy). */
    @Test
    void alwaysPrimaryFlagMakesThePrimaryWithoutAsking() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).start(); WatchdogHarness wd = new WatchdogHarness()) {
            wd.deploy(WatchdogHarness.withFlags(WatchdogHarness.settings(pg, logdir), 1, BackendFlag.ALWAYS_PRIMARY), false);

            ClusterView view = wd.view();
            assertThat(view.primary()).hasValueSatisfying(p -> assertThat(p.id()).isEqualTo(1));
            assertThat(view.node(0).role()).isEqualTo(NodeRole.STANDBY);
        }
    }

    @Test
    void detachFalsePrimaryTakesItDown() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(2).start(); WatchdogHarness wd = new WatchdogHarness()) {
            pg.node(2).promote();
            wd.deploy(WatchdogHarness.settings(pg, logdir, "detach_false_primary", "on"), false);

            ClusterView view = wd.awaitView("node 2 down", v -> v.node(2).status() == NodeStatus.DOWN, Duration.ofSeconds(20));
            assertThat(view.node(0).role()).isEqualTo(NodeRole.PRIMARY);
            assertThat(view.node(0).status()).isEqualTo(NodeStatus.UP);
        }
    }

    /**
     * SHOW pool_health_check_stats' rows once every node has been checked {@code checks} times
     * (health_check_period = 1: about as many seconds), instead of sleeping for them.
     */
    private static JsonArray rowsAfterChecks(WatchdogHarness wd, int checks) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            JsonArray rows = wd.request(Addresses.HEALTH_STATS, new JsonObject()).getJsonArray("rows");
            boolean done = true;
            for (int i = 0; i < rows.size(); i++) {
                done &= Long.parseLong(rows.getJsonArray(i).getString(6)) >= checks;
            }
            if (done || System.nanoTime() > deadline) {
                return rows;
            }
            Thread.sleep(100);
        }
    }
}
