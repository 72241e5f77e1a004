package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.Addresses;
import org.vxpool.testkit.PgBinaries;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.ProcessResult;

/**
 * A standby detached by the operator (pcp_detach_node against pgpool-II 4.3, the Active node's
 * detach against vxpool) in front of the same primary + standby: {@code SHOW pool_nodes} shows
 * the same status, pg_status, role and pg_role for both rows. pgpool keeps the detached node's
 * role ({@code standby}) and shows what the running server is in pg_status/pg_role.
 */
class DetachedNodeVsPgpoolTest {
    private static final List<String> COMPARED = List.of("node_id", "status", "pg_status", "role", "pg_role");

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1));

    @TempDir
    Path dir;

    @Test
    void aDetachedStandbyShowsTheSameRowsAsPgpool() throws Exception {
        PgCluster pg = PG.cluster();
        List<List<String>> fromPgpool;
        // pgpool's pg_role comes from its streaming-replication check
        String checks = "sr_check_period = 1\n";
        try (PgpoolProcess pgpool = PgpoolProcess.start(pg, dir.resolve("pgpool"), PgBinaries.get().tool("psql"),
                c -> c.replace("sr_check_period = 0\n", "") + checks)) {
            ProcessResult detach = pgpool.pcp("pcp_detach_node", "-n", "1");
            assertThat(detach.ok()).as(detach.output()).isTrue();
            fromPgpool = settled(port -> show(pg, pgpool.port));
        }
        List<List<String>> fromVxpool;
        Files.createDirectories(dir.resolve("vxpool"));
        try (InProcessVxpool vxpool = InProcessVxpool.start(pg, dir.resolve("vxpool"),
                c -> c.replace("health_check_period = 5", "health_check_period = 1"))) {
            awaitFirstHealthCheck(vxpool);
            vxpool.vertx.eventBus().request(Addresses.DETACH, new JsonObject().put("node", 1)).await(60, TimeUnit.SECONDS);
            fromVxpool = settled(port -> show(pg, vxpool.port));
        }
        String both = "vxpool: " + fromVxpool + "\npgpool-II: " + fromPgpool;
        assertThat(fromVxpool).as(both).hasSize(3);
        assertThat(fromPgpool).as(both).hasSize(3);
        List<String> header = fromPgpool.get(0);
        for (int row = 1; row < 3; row++) {
            for (String col : COMPARED) {
                int i = header.indexOf(col);
                assertThat(fromVxpool.get(row).get(fromVxpool.get(0).indexOf(col))).as("row %d column %s\n%s", row - 1, col, both)
                        .isEqualTo(fromPgpool.get(row).get(i));
            }
        }
        // what pgpool shows, spelled out: a down standby that runs as a standby
        assertThat(fromVxpool.get(2).subList(3, 5)).as(both).containsExactly("down", "up");
        assertThat(fromVxpool.get(2).get(header.indexOf("role"))).as(both).isEqualTo("standby");
    }

    /** pg_status and pg_role are the view's until the watchdog has checked the backends once. */
    private static void awaitFirstHealthCheck(InProcessVxpool vxpool) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            JsonObject stats = vxpool.vertx.eventBus().<JsonObject>request(Addresses.HEALTH_STATS, new JsonObject())
                    .await(10, TimeUnit.SECONDS).body();
            int success = stats.getJsonArray("columns").getList().indexOf("success_count");
            if (stats.getJsonArray("rows").stream().allMatch(r -> !"0".equals(((io.vertx.core.json.JsonArray) r).getString(success)))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no health check within 30 s");
    }

    /** SHOW pool_nodes once node 1 is shown down (pgpool restarts its children meanwhile). */
    private static List<List<String>> settled(IntFunction<List<List<String>>> show) throws InterruptedException {
        return ShowPoolNodesVsPgpoolTest.settled(show,
                t -> t.size() == 3 && "down".equals(t.get(2).get(t.get(0).indexOf("status"))));
    }

    private static List<List<String>> show(PgCluster pg, int port) {
        return ShowPoolNodesVsPgpoolTest.showPoolNodes(pg, port);
    }
}
