package org.vxpool.watchdog.lag;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.PgNode;

/** Lag measured on a real primary + standby, with replay paused to make the standby fall behind. */
class LagMeasurerTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1));

    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void pausedReplayShowsByteLagThatGoesAwayOnResume() throws Exception {
        PgCluster c = PG.cluster();
        List<BackendNode> nodes = new ArrayList<>();
        for (PgNode n : c.nodes()) {
            nodes.add(new BackendNode(n.id(), n.host(), n.port(), 1, NodeStatus.UP,
                    n == c.primary() ? NodeRole.PRIMARY : NodeRole.STANDBY, 0));
        }
        ClusterView view = new ClusterView(1, nodes);
        // generous probe and await bounds: CI at load 10-16 once took over 10 s for the first
        // measurement (connections and SCRAM in a fresh JVM); this test is about lag, not timeouts
        LagMeasurer m = new LagMeasurer(vertx, new LagSettings(Duration.ofSeconds(1), c.user(), c.password(), "postgres",
                Duration.ofSeconds(15)));
        PgNode standby = c.standbys().get(0);
        standby.waitForReplay(c.primary());
        StandbyLag before = m.measure(view).await(30, TimeUnit.SECONDS).get(standby.id());
        assertThat(before).isNotNull();
        assertThat(before.delayBytes()).isLessThan(10_000);
        assertThat(before.state()).isEqualTo("streaming");
        assertThat(before.syncState()).isEqualTo("async");

        standby.execute("SELECT pg_wal_replay_pause()");
        try {
            c.primary().execute("CREATE TABLE lag_t AS SELECT g FROM generate_series(1, 20000) g");
            Map<Integer, StandbyLag> paused = m.measure(view).await(30, TimeUnit.SECONDS);
            assertThat(paused.get(standby.id()).delayBytes()).isGreaterThan(100_000);
            assertThat(paused).doesNotContainKey(c.primary().id());
        } finally {
            standby.execute("SELECT pg_wal_replay_resume()");
        }
        standby.waitForReplay(c.primary());
        assertThat(m.measure(view).await(30, TimeUnit.SECONDS).get(standby.id()).delayBytes()).isLessThan(10_000);
    }

    @Test
    void lsnText() {
        assertThat(Lsn.parse("0/0")).isZero();
        assertThat(Lsn.parse("16/B374D848")).isEqualTo((0x16L << 32) | 0xB374D848L);
    }
}
