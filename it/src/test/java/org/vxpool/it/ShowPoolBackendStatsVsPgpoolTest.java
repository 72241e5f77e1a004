package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.testkit.PgBinaries;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.ProcessResult;

/**
 * {@code SHOW pool_backend_stats} through vxpool and through pgpool-II 4.3 (Debian's pgpool2) in
 * front of the same primary and standby, without load balancing: the same psql session of
 * statements through each (DML, DDL, SET/SHOW, a transaction, VACUUM, ANALYZE, CHECKPOINT,
 * LISTEN/NOTIFY, PREPARE/DEALLOCATE, COPY, DO and a failing SELECT), and the growth of every count
 * compared. They are equal except where docs/PROXY.md says vxpool counts differently.
 */
class ShowPoolBackendStatsVsPgpoolTest {
    private static final List<String> COLUMNS = List.of("node_id", "hostname", "port", "status", "role", "select_cnt", "insert_cnt",
            "update_cnt", "delete_cnt", "ddl_cnt", "other_cnt", "panic_cnt", "fatal_cnt", "error_cnt");

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1));

    @TempDir
    Path dir;

    @Test
    void sameStatementsSameCounts() throws Exception {
        PgCluster pg = PG.cluster();
        List<List<Long>> fromPgpool;
        try (PgpoolProcess pgpool = PgpoolProcess.start(pg, dir.resolve("pgpool"), PgBinaries.get().tool("psql"))) {
            fromPgpool = growth(pg, pgpool.port, "bstats_pgpool");
        }
        List<List<Long>> fromVxpool;
        Files.createDirectories(dir.resolve("vxpool"));
        try (InProcessVxpool vxpool = InProcessVxpool.start(pg, dir.resolve("vxpool"))) {
            fromVxpool = growth(pg, vxpool.port, "bstats_vxpool");
        }
        String both = "columns " + COLUMNS.subList(5, 14) + "\nvxpool:    " + fromVxpool + "\npgpool-II: " + fromPgpool;
        //                                     select insert update delete ddl other panic fatal error
        assertThat(fromVxpool).as(both).containsExactly(List.of(3L, 2L, 2L, 1L, 4L, 12L, 0L, 0L, 1L), List.of(0L, 0L, 0L, 0L, 0L, 0L,
                0L, 0L, 0L));
        // pgpool counts the failed SELECT as a select too (it counts what it sends; vxpool counts
        // CommandCompletes, and a failed command has none), and one DISCARD ALL of its
        // reset_query_list as other at the end of each client session: the one that read the
        // counts before, and the mix's
        assertThat(fromPgpool).as(both).containsExactly(List.of(3L + 1, 2L, 2L, 1L, 4L, 12L + 2, 0L, 0L, 1L), List.of(0L, 0L, 0L, 0L,
                0L, 0L, 0L, 0L, 0L));
    }

    /** The counts' growth per node over one psql session of the mix, through the proxy on {@code port}. */
    private static List<List<Long>> growth(PgCluster pg, int port, String table) {
        List<List<Long>> before = counts(pg, port);
        ProcessResult r = pg.primary().psqlCommand("-h", "127.0.0.1", "-p", String.valueOf(port), "-U", pg.user(), "-d", "postgres",
                "-c", "CREATE TABLE " + table + " (id int)",
                "-c", "INSERT INTO " + table + " VALUES (1), (2), (3)",
                "-c", "UPDATE " + table + " SET id = 10 WHERE id = 1",
                "-c", "DELETE FROM " + table + " WHERE id = 2",
                "-c", "SET application_name = 'bstats'",
                "-c", "SHOW application_name",
                "-c", "SELECT 1",
                "-c", "WITH t AS (SELECT 2 AS x) SELECT x FROM t",
                "-c", "BEGIN",
                "-c", "SELECT 3",
                "-c", "INSERT INTO " + table + " VALUES (4)",
                "-c", "UPDATE " + table + " SET id = 5 WHERE id = 4",
                "-c", "COMMIT",
                "-c", "VACUUM " + table,
                "-c", "ANALYZE " + table,
                "-c", "CHECKPOINT",
                "-c", "LISTEN bstats",
                "-c", "NOTIFY bstats",
                "-c", "UNLISTEN bstats",
                "-c", "PREPARE bstats_p AS SELECT 1",
                "-c", "DEALLOCATE bstats_p",
                "-c", "COPY " + table + " TO STDOUT",
                "-c", "DO $$BEGIN END$$",
                "-c", "SELECT * FROM bstats_no_such_table",
                "-c", "DROP TABLE " + table);
        assertThat(r.stderr()).contains("bstats_no_such_table\" does not exist");
        List<List<Long>> after = counts(pg, port);
        List<List<Long>> growth = new ArrayList<>();
        for (int node = 0; node < after.size(); node++) {
            List<Long> g = new ArrayList<>();
            for (int k = 0; k < 9; k++) {
                g.add(after.get(node).get(k) - before.get(node).get(k));
            }
            growth.add(g);
        }
        return growth;
    }

    /** select_cnt … error_cnt per node, from psql's unaligned output; checks the header. */
    private static List<List<Long>> counts(PgCluster pg, int port) {
        ProcessResult r = pg.primary().psqlCommand("-A", "-F", "|", "-P", "footer=off", "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-U", pg.user(), "-d", "postgres", "-c", "show pool_backend_stats").requireOk();
        List<String> lines = r.stdout().lines().toList();
        assertThat(Arrays.asList(lines.get(0).split("\\|", -1))).containsExactlyElementsOf(COLUMNS);
        List<List<Long>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\\|", -1);
            List<Long> row = new ArrayList<>();
            for (int k = 5; k < 14; k++) {
                row.add(Long.parseLong(cells[k].strip()));
            }
            rows.add(row);
        }
        assertThat(rows).hasSize(2);
        return rows;
    }
}
