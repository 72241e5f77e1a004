package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vxpool.it.ReadProbes.awaitReadsOn;
import static org.vxpool.it.ReadProbes.port;
import static org.vxpool.it.ReadProbes.replicationDelay;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.PgNode;

/**
 * prefer_lower_delay_standby end to end, primary + 2 standbys, the watchdog's sr_check measuring
 * them: the session's read standby stops replaying and falls beyond delay_threshold. pgpool's
 * rule: with the option on, reads go to the least lagging standby with a weight above 0 (here
 * the other standby), never to the primary; with it off they go to the primary.
 */
class PreferLowerDelayStandbyEndToEndTest {
    private static final String USER = "trusty";
    private static final long THRESHOLD_BYTES = 1_000_000;

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(2)
            .user(USER, null, PasswordEncryption.NONE, true));

    @TempDir
    Path logdir;

    @ParameterizedTest(name = "prefer_lower_delay_standby = {0}")
    @ValueSource(strings = {"on", "off"})
    void readsLeaveTheLaggingStandby(String prefer) throws Exception {
        PgCluster pg = PG.cluster();
        String conf = "backend_weight" + pg.primary().id() + " = 0\n"
                + "backend_weight" + pg.standbys().get(0).id() + " = 1\nbackend_weight" + pg.standbys().get(1).id() + " = 1\n"
                + "sr_check_period = 1\nsr_check_user = '" + pg.user() + "'\nsr_check_password = '" + pg.password() + "'\n"
                + "delay_threshold = " + THRESHOLD_BYTES + "\nprefer_lower_delay_standby = " + prefer + "\n";
        try (InProcessVxpool vxpool = InProcessVxpool.start(pg, logdir,
                c -> c.replace("load_balance_mode = off", "load_balance_mode = on") + conf);
             Connection warmUp = DriverManager.getConnection(vxpool.url, USER, "")) {
            // the first login of a user is relayed; vxpool learns the backend trusts it
            warmUp.createStatement().execute("select 1");
            try (Connection client = DriverManager.getConnection(vxpool.url, USER, ""); Statement st = client.createStatement()) {
                int first = port(st);
                PgNode lagging = pg.standbys().stream().filter(n -> n.port() == first).findFirst()
                        .orElseThrow(() -> new AssertionError("the first read ran on port " + first + ", not on a standby"));
                PgNode other = pg.standbys().stream().filter(n -> n != lagging).findFirst().orElseThrow();
                PgNode expected = "on".equals(prefer) ? other : pg.primary();
                try (Connection onLagging = lagging.connect(); Connection onPrimary = pg.primary().connect()) {
                    onLagging.createStatement().execute("SELECT pg_wal_replay_pause()");
                    try {
                        onPrimary.createStatement().execute("CREATE TABLE prefer_filler_" + System.nanoTime()
                                + " AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 20000) g");
                        awaitReadsOn(st, expected);
                        for (int i = 0; i < 50; i++) {
                            assertThat(port(st)).as("read %d while %s lags", i, lagging).isEqualTo(expected.port());
                        }
                        assertThat(replicationDelay(st, lagging)).isGreaterThan(THRESHOLD_BYTES);
                        assertThat(replicationDelay(st, other)).isLessThan(THRESHOLD_BYTES);
                    } finally {
                        onLagging.createStatement().execute("SELECT pg_wal_replay_resume()");
                    }
                }
            }
        }
    }
}
