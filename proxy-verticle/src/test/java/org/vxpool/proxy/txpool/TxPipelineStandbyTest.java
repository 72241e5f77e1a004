package org.vxpool.proxy.txpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vxpool.proxy.txpool.TxFixture.connect;
import static org.vxpool.proxy.txpool.TxFixture.value;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.PgNode;
import org.vxpool.testkit.Waits;

/**
 * Pipelining on a standby: reads balanced to a standby queue behind each other on its one pooled
 * connection; when the standby is SIGKILLed, every one of them (the running one and the queued
 * ones, none of which had answered) runs again on the primary and no client sees an error, as for a
 * read alone on a standby.
 */
class TxPipelineStandbyTest {
    @RegisterExtension
    final PgClusterExtension pg = new PgClusterExtension(PgCluster.builder().standbys(1));
    @TempDir
    Path dir;

    @Test
    void readsQueuedOnAKilledStandbyRunAgainOnThePrimary() throws Exception {
        PgCluster c = pg.cluster();
        PgNode standby = c.standbys().get(0);
        // every read to the standby
        try (ProxyFixture proxy = TxFixture.start(c, dir, "default_pool_size = 1\ntx_pipeline_depth = 4\ntx_pipeline_max_age = 0\nload_balance_mode = on\n", 0, 1)) {
            List<Connection> cs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                cs.add(connect(proxy, c));
                assertThat(value(cs.get(i), "SELECT " + i)).isEqualTo(String.valueOf(i));
            }
            try {
                long before = proxy.stats().getLong("txPipelined");
                List<CompletableFuture<String>> answers = new ArrayList<>();
                answers.add(async(cs.get(0), "SELECT pg_sleep(5)::text || 'a' /* ahead-on-standby */"));
                Waits.until(Duration.ofSeconds(20), "the read running on the standby", () -> "1".equals(standby.queryValue(
                        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%ahead-on-standby%' AND pid <> pg_backend_pid()")));
                for (int i = 1; i < 3; i++) {
                    answers.add(async(cs.get(i), "SELECT 'q' || " + i));
                    int n = i;
                    Waits.until(Duration.ofSeconds(20), n + " pipelined", () -> proxy.stats().getLong("txPipelined") - before >= n);
                }
                standby.kill();
                assertThat(answers.get(1).get(60, TimeUnit.SECONDS)).isEqualTo("q1");
                assertThat(answers.get(2).get(60, TimeUnit.SECONDS)).isEqualTo("q2");
                assertThat(answers.get(0).get(60, TimeUnit.SECONDS)).as("ran again on the primary").isEqualTo("a");
            } finally {
                for (Connection conn : cs) {
                    conn.close();
                }
            }
        }
    }

    private static CompletableFuture<String> async(Connection c, String sql) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return value(c, sql);
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        });
    }
}
