package org.vxpool.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.Addresses;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.testkit.FreePorts;

/** use_watchdog = on without an election in the build: the node runs standalone and says so loudly. */
class LeadershipFallbackTest {
    @TempDir
    Path dir;

    @Test
    void withoutAProviderTheNodeRunsStandaloneWithAnError() throws Exception {
        String conf = "use_watchdog = on\nhostname0 = '127.0.0.1'\nwd_port0 = " + FreePorts.find() + "\n"
                + "pgpool_port0 = " + FreePorts.find() + "\nlogdir = '" + dir + "'\n"
                + "backend_hostname0 = '127.0.0.1'\nbackend_port0 = " + FreePorts.find() + "\n"
                + "health_check_user = 'nobody'\n";
        PoolConfig config = PoolConfig.parse(conf, dir.resolve("pgpool.conf").toString(), java.util.OptionalInt.of(0));
        try (WatchdogHarness wd = new WatchdogHarness(); LogCapture log = LogCapture.capture()) {
            wd.deploy(new WatchdogVerticle(config, false, null));

            log.await("use_watchdog = on but no clustered election was given", Duration.ofSeconds(1));
            ClusterView view = wd.view();
            // Nothing listens on the backend port: not reached yet, and no primary.
            assertThat(view.node(0).status()).isEqualTo(NodeStatus.WAITING);
            assertThat(view.primary()).isEmpty();
            // Standalone means Active: the Active-only requests are served.
            assertThat(wd.refusal(Addresses.PROMOTE, new JsonObject().put("node", 0).put("switchover", true)))
                    .isEqualTo("there is no primary to switch over from");
        }
    }
}
