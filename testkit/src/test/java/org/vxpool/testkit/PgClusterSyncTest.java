package org.vxpool.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PgClusterSyncTest {

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1).synchronous(true));

    @Test
    void commitWaitsForTheSynchronousStandby() throws Exception {
        PgNode primary = PG.cluster().node(0);
        PgNode standby = PG.cluster().node(1);
        assertThat(primary.queryValue("SHOW synchronous_standby_names")).isEqualTo("FIRST 1 (node1)");
        assertThat(primary.queryValue("SHOW synchronous_commit")).isEqualTo("on");
        assertThat(primary.queryValue("SELECT sync_state FROM pg_stat_replication WHERE application_name = 'node1'"))
                .isEqualTo("sync");
        primary.execute("CREATE TABLE sync_check(x int)");

        standby.stop(StopMode.FAST);
        CompletableFuture<Integer> insert = CompletableFuture.supplyAsync(
                () -> primary.execute("INSERT INTO sync_check VALUES (1)"));
        // without its synchronous standby the commit must not complete
        Thread.sleep(1500);
        assertThat(insert).isNotDone();

        standby.start();
        assertThat(insert.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        Waits.until(Duration.ofSeconds(10), "row visible on the standby",
                () -> "1".equals(standby.queryValue("SELECT count(*) FROM sync_check")));
    }
}
