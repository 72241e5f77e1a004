package org.vxpool.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.Addresses;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.testkit.PgCluster;

/**
 * failover_require_consensus on the Active node, with a leadership that says two of three members
 * must agree: the Active's own failed health check only quarantines the standby (no
 * failover_command, the status file keeps it up) and a recovery undoes that; a second member's
 * vote then fails it over for real. Votes count per watchdog member name, not per process.
 */
class ConsensusQuarantineTest {
    /** The watchdog member name of the node under test: its votes are counted under it. */
    private static final String SELF = "osspc19:9999";

    @TempDir
    Path dir;

    @Test
    void oneVoteQuarantinesRecoveryRestoresAndASecondMemberFailsOver() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).start(); WatchdogHarness wd = new WatchdogHarness();
             LogCapture log = LogCapture.capture()) {
            Path args = dir.resolve("failover.args");
            WatchdogSettings plain = WatchdogHarness.settings(pg, dir, "failover_command", "echo '%d' >> " + args);
            // use_watchdog = on without configuring members: the test's leadership stands in for them.
            WatchdogSettings settings = new WatchdogSettings(plain.statusFile(), true, plain.backends(), plain.health(),
                    plain.failover());
            wd.deploy(new WatchdogVerticle(settings, false, new TestLeadership(true, 1).requiringVotes(2).named(SELF)));

            pg.node(1).kill();
            wd.awaitView("node 1 quarantined", v -> v.node(1).status() == NodeStatus.QUARANTINE, Duration.ofSeconds(30));
            log.await("needs consensus: 1 of 2 votes (last from " + SELF + ": ", Duration.ofSeconds(5));
            // The health checker keeps failing every second; the same member's votes count once,
            // also when they arrive from elsewhere under its name (a restarted node, another JVM).
            wd.request(Addresses.FAILOVER_VOTE, new JsonObject().put("node", 1).put("from", SELF)
                    .put("reason", "health check failed"));
            Thread.sleep(3000);
            assertThat(wd.view().node(1).status()).isEqualTo(NodeStatus.QUARANTINE);
            assertThat(args).doesNotExist();
            assertThat(Files.readString(dir.resolve("pgpool_status"))).isEqualTo("up\nup\n");

            pg.node(1).start();
            wd.awaitView("node 1 restored", v -> v.node(1).status() == NodeStatus.UP, Duration.ofSeconds(30));
            log.await("quarantine: node 1 127.0.0.1(" + pg.node(1).port() + ") is healthy again, back to up",
                    Duration.ofSeconds(5));

            pg.node(1).kill();
            wd.awaitView("node 1 quarantined again", v -> v.node(1).status() == NodeStatus.QUARANTINE, Duration.ofSeconds(30));
            wd.request(Addresses.FAILOVER_VOTE, new JsonObject().put("node", 1).put("from", "other-member")
                    .put("reason", "health check failed"));
            wd.awaitView("node 1 down", v -> v.node(1).status() == NodeStatus.DOWN, Duration.ofSeconds(30));
            log.await("failover done. shutdown host 127.0.0.1(" + pg.node(1).port() + ")", Duration.ofSeconds(10));
            assertThat(Files.readAllLines(args)).containsExactly("1");
            assertThat(Files.readString(dir.resolve("pgpool_status"))).isEqualTo("up\ndown\n");
        }
    }
}
