package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.testkit.PgCluster;

/**
 * Issue 5's pgbench scenario: TPC-B through vxpool plus a JDBC ledger of acknowledged ids, the
 * primary SIGKILLed mid-run. A write through the same address must succeed afterwards,
 * {@code SHOW pool_nodes} must show node 0 down and node 1 primary, and (synchronous replication)
 * every acknowledged ledger id must be on the new primary.
 */
class PgbenchFailoverTest {
    @TempDir
    Path dir;

    @Test
    void pgbenchRunSurvivesPrimaryKill() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).synchronous(true).start();
             InProcessVxpool vxpool = InProcessVxpool.start(pg, dir)) {
            Process init = vxpool.pgbench(pg, dir.resolve("init.log"), "-i", "-s", "1");
            assertThat(init.waitFor(120, TimeUnit.SECONDS)).as("pgbench -i finished").isTrue();
            assertThat(init.exitValue()).as("pgbench -i: %s", Files.readString(dir.resolve("init.log"))).isZero();
            try (Connection c = InProcessVxpool.connect(vxpool.url, pg); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE acked(id bigint PRIMARY KEY)");
            }

            Set<Long> acknowledged = new ConcurrentSkipListSet<>();
            AtomicLong deadAt = new AtomicLong();
            AtomicLong firstWriteAfterKill = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> FailoverEndToEndTest.writeLoop(vxpool.url, pg, acknowledged, deadAt,
                    firstWriteAfterKill, stop));
            Path benchLog = dir.resolve("bench.log");
            // Clients that lose their connection are aborted by pgbench; that is expected here.
            Process bench = vxpool.pgbench(pg, benchLog, "-c", "4", "-T", "20", "-P", "1");
            writer.start();
            long killedAt;
            try {
                Thread.sleep(4_000);
                assertThat(acknowledged).as("ledger writes before the kill").isNotEmpty();
                killedAt = System.nanoTime();
                pg.node(0).kill();
                deadAt.set(System.nanoTime());
                FailoverEndToEndTest.awaitFirstWrite(firstWriteAfterKill);
            } finally {
                stop.set(true);
                writer.join(30_000);
            }
            assertThat(firstWriteAfterKill.get()).as("a write succeeded through vxpool after the kill").isNotZero();
            System.out.printf("BENCH pgbench-failover SIGKILL: kill -> first successful write through vxpool: %d ms%n",
                    (firstWriteAfterKill.get() - killedAt) / 1_000_000);

            assertThat(bench.waitFor(60, TimeUnit.SECONDS)).as("pgbench finished").isTrue();
            String benchOut = Files.readString(benchLog);
            System.out.println("pgbench exit " + bench.exitValue() + ":\n" + benchOut);
            assertThat(benchOut).contains("transaction type:");
            // The history rows committed before the kill were replicated synchronously.
            assertThat(Long.parseLong(pg.node(1).queryValue("SELECT count(*) FROM pgbench_history")))
                    .as("pgbench transactions on the new primary").isPositive();

            FailoverEndToEndTest.assertAcknowledgedOnNode1(pg, acknowledged);

            Map<String, List<String>> nodes = poolNodes(vxpool, pg);
            assertThat(nodes.get("0").get(0)).as("node 0 status").isEqualTo("down");
            assertThat(nodes.get("0").get(1)).as("node 0 role").isNotEqualTo("primary");
            assertThat(nodes.get("1")).as("node 1 status, role").containsExactly("up", "primary");
        }
    }

    /** node_id -> [status, role] from SHOW pool_nodes through vxpool. */
    private static Map<String, List<String>> poolNodes(InProcessVxpool vxpool, PgCluster pg) throws Exception {
        Map<String, List<String>> nodes = new HashMap<>();
        try (Connection c = InProcessVxpool.connect(vxpool.url, pg); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW pool_nodes")) {
            while (rs.next()) {
                nodes.put(rs.getString("node_id"), List.of(rs.getString("status"), rs.getString("role")));
            }
        }
        return nodes;
    }
}
