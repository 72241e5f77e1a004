package org.vxpool.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.Addresses;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.testkit.FreePorts;

/**
 * Which proxy reports trigger a check: failover_on_backend_error for errors in general,
 * failover_on_backend_shutdown for 57P01/57P02. The backend port has nothing listening, so a
 * check that runs fails and takes the node down; periodic checks are off.
 */
class BackendErrorReportTest {
    @TempDir
    Path dir;

    private WatchdogHarness deploy(String onError, String onShutdown) throws Exception {
        String conf = "logdir = '" + dir + "'\nbackend_hostname0 = '127.0.0.1'\nbackend_port0 = " + FreePorts.find()
                + "\nhealth_check_period = 0\nhealth_check_user = 'nobody'\nhealth_check_timeout = 2\n"
                + "failover_on_backend_error = " + onError + "\nfailover_on_backend_shutdown = " + onShutdown + "\n";
        WatchdogHarness wd = new WatchdogHarness();
        wd.deploy(new WatchdogVerticle(PoolConfig.parse(conf, dir.resolve("pgpool.conf").toString()), false));
        return wd;
    }

    private static void report(WatchdogHarness wd, String sqlstate) {
        JsonObject body = new JsonObject().put("node", 0).put("reason", "test report");
        if (sqlstate != null) {
            body.put("sqlstate", sqlstate);
        }
        wd.vertx.eventBus().send(Addresses.BACKEND_ERROR, body);
    }

    private static int checks(WatchdogHarness wd) throws Exception {
        return Integer.parseInt(wd.request(Addresses.HEALTH_STATS, new JsonObject())
                .getJsonArray("rows").getJsonArray(0).getString(6));
    }

    @Test
    void shutdownReportsNeedFailoverOnBackendShutdown() throws Exception {
        try (WatchdogHarness wd = deploy("off", "on")) {
            report(wd, null);
            report(wd, "08006");
            Thread.sleep(500);
            assertThat(checks(wd)).as("plain errors are ignored with failover_on_backend_error = off").isZero();

            report(wd, "57P01");
            wd.awaitView("node 0 down", v -> v.node(0).status() == NodeStatus.DOWN, Duration.ofSeconds(10));
            assertThat(checks(wd)).isEqualTo(1);
        }
    }

    @Test
    void bothOffIgnoresReports() throws Exception {
        try (WatchdogHarness wd = deploy("off", "off")) {
            report(wd, "57P02");
            report(wd, null);
            Thread.sleep(500);
            assertThat(checks(wd)).isZero();
            assertThat(wd.view().node(0).status()).isEqualTo(NodeStatus.WAITING);
        }
    }

    @Test
    void unknownNodeIsIgnored() throws Exception {
        try (WatchdogHarness wd = deploy("on", "off")) {
            wd.vertx.eventBus().send(Addresses.BACKEND_ERROR, new JsonObject().put("node", 7));
            wd.vertx.eventBus().send(Addresses.BACKEND_ERROR, new JsonObject().put("node", "zero"));
            Thread.sleep(300);
            assertThat(checks(wd)).isZero();
            report(wd, null);
            wd.awaitView("node 0 down", v -> v.node(0).status() == NodeStatus.DOWN, Duration.ofSeconds(10));
        }
    }
}
