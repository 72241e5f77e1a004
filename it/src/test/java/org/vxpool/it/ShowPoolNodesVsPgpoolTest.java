package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.testkit.PgBinaries;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.ProcessResult;

/**
 * Issue 4: {@code SHOW pool_nodes} through vxpool and through pgpool-II 4.3 (Debian's pgpool2) in
 * front of the same primary + 2 standbys, both balancing by weights 1:1:2 and checking replication
 * every second, read with psql and compared column by column. Columns that belong to the moment
 * or to the session (select_cnt, load_balance_node, last_status_change) are compared by form.
 */
class ShowPoolNodesVsPgpoolTest {
    private static final List<String> COLUMNS = List.of("node_id", "hostname", "port", "status", "pg_status", "lb_weight",
            "role", "pg_role", "select_cnt", "load_balance_node", "replication_delay", "replication_state",
            "replication_sync_state", "last_status_change");
    /** Columns whose values must be equal. */
    private static final List<String> SAME = List.of("node_id", "hostname", "port", "status", "pg_status", "lb_weight",
            "role", "pg_role", "replication_delay", "replication_state", "replication_sync_state");

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(2));

    @TempDir
    Path dir;

    @Test
    void columnByColumn() throws Exception {
        PgCluster pg = PG.cluster();
        StringBuilder names = new StringBuilder();
        // pgpool finds a standby's row of pg_stat_replication by backend_application_name
        pg.nodes().forEach(n -> names.append("backend_application_name").append(n.id()).append(" = '")
                .append(n.applicationName()).append("'\n"));
        String checks = "sr_check_period = 1\nsr_check_user = '" + pg.user() + "'\nsr_check_password = '" + pg.password() + "'\n"
                + names;
        List<List<String>> fromPgpool;
        try (PgpoolProcess pgpool = PgpoolProcess.start(pg, dir.resolve("pgpool"), PgBinaries.get().tool("psql"),
                c -> c.replace("load_balance_mode = off", "load_balance_mode = on").replace("sr_check_period = 0\n", "")
                        .replace("backend_weight2 = 1", "backend_weight2 = 2") + checks)) {
            fromPgpool = settled(port -> showPoolNodes(pg, pgpool.port));
        }
        List<List<String>> fromVxpool;
        java.nio.file.Files.createDirectories(dir.resolve("vxpool"));
        try (InProcessVxpool vxpool = InProcessVxpool.start(pg, dir.resolve("vxpool"), c -> c.replace("load_balance_mode = off",
                "load_balance_mode = on") + "backend_weight0 = 1\nbackend_weight1 = 1\nbackend_weight2 = 2\n" + checks)) {
            fromVxpool = settled(port -> showPoolNodes(pg, vxpool.port));
        }
        String both = "vxpool: " + fromVxpool + "\npgpool-II: " + fromPgpool;
        assertThat(fromVxpool.get(0)).as(both).isEqualTo(fromPgpool.get(0)).isEqualTo(COLUMNS);
        assertThat(fromVxpool).hasSameSizeAs(fromPgpool).hasSize(4);
        for (int row = 1; row < fromPgpool.size(); row++) {
            List<String> ours = fromVxpool.get(row);
            List<String> theirs = fromPgpool.get(row);
            for (String col : SAME) {
                int i = COLUMNS.indexOf(col);
                assertThat(ours.get(i)).as("row %d column %s\n%s", row - 1, col, both).isEqualTo(theirs.get(i));
            }
            for (List<String> r : List.of(ours, theirs)) {
                assertThat(r.get(COLUMNS.indexOf("select_cnt"))).matches("\\d+");
                assertThat(r.get(COLUMNS.indexOf("load_balance_node"))).isIn("true", "false");
                assertThat(r.get(COLUMNS.indexOf("last_status_change"))).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
            }
        }
        for (List<List<String>> table : List.of(fromVxpool, fromPgpool)) {
            assertThat(table.subList(1, table.size()).stream().filter(r -> r.get(COLUMNS.indexOf("load_balance_node")).equals("true")))
                    .as("one load-balance node per session").hasSize(1);
        }
    }

    /**
     * SHOW pool_nodes once both standbys are seen streaming and caught up (the first replication checks are done).
     * replication_delay is the lag in bytes at the proxy's last check, so it is compared at a quiet moment: a check
     * that ran while the primary wrote a WAL record of its own (a running-xacts record, a checkpoint) shows that
     * record's size until the next check, in pgpool-II as in vxpool.
     */
    private static List<List<String>> settled(IntFunction<List<List<String>>> show) throws InterruptedException {
        return settled(show, t -> t.size() == 4
                && t.subList(2, 4).stream().allMatch(r -> "streaming".equals(r.get(COLUMNS.indexOf("replication_state")))
                        && "0".equals(r.get(COLUMNS.indexOf("replication_delay"))))
                && t.subList(1, 4).stream().allMatch(r -> "up".equals(r.get(COLUMNS.indexOf("status")))));
    }

    /** SHOW pool_nodes once {@code done} holds, or as it is after 30 s. */
    static List<List<String>> settled(IntFunction<List<List<String>>> show, Predicate<List<List<String>>> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<List<String>> t;
        do {
            t = show.apply(0);
            if (done.test(t)) {
                return t;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        return t;
    }

    /** The header and rows of psql's unaligned output. */
    static List<List<String>> showPoolNodes(PgCluster pg, int port) {
        ProcessResult r = pg.primary().psqlCommand("-A", "-F", "|", "-P", "footer=off", "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-U", pg.user(), "-d", "postgres", "-c", "show pool_nodes");
        List<List<String>> rows = new ArrayList<>();
        if (!r.ok()) {
            rows.add(List.of(r.output()));
            return rows;
        }
        r.stdout().lines().forEach(l -> rows.add(Arrays.asList(l.split("\\|", -1))));
        return rows;
    }
}
