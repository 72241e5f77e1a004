package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vxpool.it.ReadProbes.awaitReadsOn;
import static org.vxpool.it.ReadProbes.port;
import static org.vxpool.it.ReadProbes.replicationDelay;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.PgNode;

/**
 * delay_threshold end to end: the watchdog's sr_check measures a real standby whose replay is
 * paused, and the proxy of the same JVM moves reads to the primary until replay catches up.
 */
class LagThresholdEndToEndTest {
    /** Trusted by the backends, so vxpool can open the second (read) connection by itself. */
    private static final String USER = "trusty";
    private static final long THRESHOLD_BYTES = 1_000_000;

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1)
            .user(USER, null, PasswordEncryption.NONE, true)
            // the standby reports its replay position every second, so replay_lag follows a paused replay
            .setting("wal_receiver_status_interval", "1"));

    @TempDir
    Path logdir;

    /** Bytes: the primary's current WAL position minus the standby's replay position. */
    @Test
    void delayThresholdInBytes() throws Exception {
        readsLeaveAStandbyWhoseReplayIsPausedAndComeBackWhenItCatchesUp("delay_threshold = " + THRESHOLD_BYTES + "\n");
    }

    /** Time: pg_stat_replication.replay_lag, which keeps growing while replay is paused. */
    @Test
    void delayThresholdByTime() throws Exception {
        readsLeaveAStandbyWhoseReplayIsPausedAndComeBackWhenItCatchesUp("delay_threshold_by_time = 1000\n");
    }

    private void readsLeaveAStandbyWhoseReplayIsPausedAndComeBackWhenItCatchesUp(String threshold) throws Exception {
        PgCluster pg = PG.cluster();
        PgNode standby = pg.nodes().stream().filter(n -> n != pg.primary()).findFirst().orElseThrow();
        // every read goes to the standby while it keeps up: the primary has weight 0
        try (InProcessVxpool vxpool = InProcessVxpool.start(pg, logdir, conf -> conf
                .replace("load_balance_mode = off", "load_balance_mode = on")
                + "backend_weight" + pg.primary().id() + " = 0\nbackend_weight" + standby.id() + " = 1\n"
                + "sr_check_period = 1\nsr_check_user = '" + pg.user() + "'\nsr_check_password = '" + pg.password() + "'\n"
                + threshold);
             Connection warmUp = connect(vxpool);
             Connection superuserOnStandby = standby.connect();
             Connection superuserOnPrimary = pg.primary().connect()) {
            // the first login of a user is relayed; vxpool learns the backend trusts it
            warmUp.createStatement().execute("select 1");
            try (Connection client = connect(vxpool); Statement st = client.createStatement()) {
                awaitReadsOn(st, standby);
                try {
                    superuserOnStandby.createStatement().execute("SELECT pg_wal_replay_pause()");
                    superuserOnPrimary.createStatement().execute(
                            "CREATE TABLE lag_filler_" + System.nanoTime() + " AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 20000) g");
                    awaitReadsOn(st, pg.primary());
                    // the byte lag is measured in both cases; the threshold in use decided
                    assertThat(replicationDelay(st, standby)).isGreaterThan(THRESHOLD_BYTES);
                } finally {
                    superuserOnStandby.createStatement().execute("SELECT pg_wal_replay_resume()");
                }
                awaitReadsOn(st, standby);
            }
        }
    }

    private static Connection connect(InProcessVxpool vxpool) throws SQLException {
        return DriverManager.getConnection(vxpool.url, USER, "");
    }
}
