package org.vxpool.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.it.InProcessVxpool;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgNode;
import org.vxpool.testkit.Waits;

/**
 * Repeated primary kills (SIGKILL of the postmaster) under a write load with synchronous
 * replication, through one in-process vxpool. After each kill the old primary is rebuilt as a
 * synchronous standby of the new one (pg_basebackup) and auto_failback re-attaches it, so the
 * next kill can fail over back. Asserted: every INSERT the clients saw acknowledged is on the
 * primary afterwards (0 lost), errors only inside a failover window (kill until every writer has
 * written again), and the view follows. {@code -Dvxpool.kills=20} is the long series
 * (bench/kill-series.sh); CI runs 3. {@code -Dvxpool.soak.minutes=30} is the soak (bench/soak.sh):
 * kills every {@code vxpool.soak.pauseSeconds} (45) with pgbench running too, until the time is up,
 * and heap, threads and leftover backends checked at the end.
 */
class PrimaryKillSeriesTest {
    private static final int WRITERS = 3;

    @TempDir
    Path dir;

    /** One kill: when it happened and when every writer had written again. */
    record Window(int kill, int killedNode, long killNanos, long deadNanos, long firstWriteNanos, long allWritersNanos) {
        long millis() {
            return (allWritersNanos - killNanos) / 1_000_000;
        }

        long firstWriteMillis() {
            return (firstWriteNanos - killNanos) / 1_000_000;
        }
    }

    @Test
    void noAcknowledgedWriteIsLostAcrossRepeatedPrimaryKills() throws Exception {
        int kills = Integer.getInteger("vxpool.kills", 3);
        long soakMinutes = Long.getLong("vxpool.soak.minutes", 0);
        try (PgCluster pg = PgCluster.builder().standbys(1).synchronous(true).start();
             InProcessVxpool vxpool = InProcessVxpool.start(pg, dir, c -> c + conf(pg))) {
            pg.primary().execute("CREATE TABLE ledger(id bigint PRIMARY KEY)");
            List<Window> windows = new ArrayList<>();
            List<LedgerWriters.Failure> failures;
            Set<Long> acknowledged;
            int primary = 0;
            SoakLoad soak = soakMinutes > 0 ? SoakLoad.start(pg, vxpool, dir) : null;
            long soakEnd = System.nanoTime() + TimeUnit.MINUTES.toNanos(soakMinutes);
            try (LedgerWriters writers = new LedgerWriters(vxpool.url, pg.user(), pg.password(), WRITERS)) {
                for (int k = 1; soak != null ? System.nanoTime() < soakEnd : k <= kills; k++) {
                    int standby = 1 - primary;
                    awaitWrites(writers, 200);
                    windows.add(killAndFailOver(k, pg, vxpool, writers, primary, standby));
                    assertNothingLost(pg.node(standby), writers.acknowledgedIds(), k);
                    rebuildAsSynchronousStandby(pg.node(primary), pg.node(standby));
                    awaitView(vxpool, standby, primary);
                    primary = standby;
                    if (soak != null) {
                        soak.sample(k, pg.node(primary));
                        Thread.sleep(Long.getLong("vxpool.soak.pauseSeconds", 45) * 1000);
                    }
                }
                awaitWrites(writers, 200);
                writers.close();
                failures = writers.failures();
                acknowledged = writers.acknowledgedIds();
            } finally {
                if (soak != null) {
                    soak.close();
                }
            }
            assertNothingLost(pg.node(primary), acknowledged, windows.size());
            report(windows, failures, acknowledged.size());
            assertErrorsOnlyInsideWindows(failures, windows);
            if (soak != null) {
                assertSoakStable(soak, pg.node(primary));
            }
        }
    }

    /**
     * Soak: resources of the last rounds against the first (after warm-up), and no backend left
     * once the load has stopped (pass-through logins are not pooled; connection_life_time is off).
     */
    private static void assertSoakStable(SoakLoad soak, PgNode primary) {
        List<SoakLoad.Sample> s = soak.samples;
        assertThat(s).as("soak rounds").hasSizeGreaterThanOrEqualTo(3);
        SoakLoad.Sample first = s.get(1);
        SoakLoad.Sample last = s.get(s.size() - 1);
        assertThat(last.threads()).as("threads, round %d vs round %d", last.round(), first.round())
                .isLessThanOrEqualTo(first.threads() + 25);
        assertThat(last.heapMb()).as("heap MB after GC, round %d vs round %d", last.round(), first.round())
                .isLessThanOrEqualTo(first.heapMb() * 2 + 64);
        Waits.until(Duration.ofSeconds(30), "no client backend left on " + primary + " after the load",
                () -> SoakLoad.clientBackends(primary) == 0, () -> primary.query(
                        "SELECT usename, state, query FROM pg_stat_activity WHERE backend_type = 'client backend'").toString());
    }

    static String conf(PgCluster pg) {
        StringBuilder c = new StringBuilder("health_check_period = 1\nauto_failback = on\nauto_failback_interval = 1\n");
        for (PgNode n : pg.nodes()) {
            c.append("backend_application_name").append(n.id()).append(" = '").append(n.applicationName()).append("'\n");
        }
        return c.toString();
    }

    private static Window killAndFailOver(int k, PgCluster pg, InProcessVxpool vxpool, LedgerWriters writers,
                                          int primary, int standby) throws Exception {
        long killAt = System.nanoTime();
        pg.node(primary).kill();
        long deadAt = System.nanoTime();
        long firstWrite = 0;
        long deadline = deadAt + TimeUnit.SECONDS.toNanos(60);
        while (!writers.everyWriterSucceededSince(deadAt) && System.nanoTime() < deadline) {
            if (firstWrite == 0 && writers.anyWriterSucceededSince(deadAt)) {
                firstWrite = System.nanoTime();
            }
            Thread.sleep(5);
        }
        assertThat(writers.everyWriterSucceededSince(deadAt)).as("kill %d: every writer writes again", k).isTrue();
        long allWriters = System.nanoTime();
        ClusterView view = ReliabilityChecks.view(vxpool);
        assertThat(view.node(primary).status()).as("kill %d: old primary down", k).isEqualTo(NodeStatus.DOWN);
        assertThat(view.node(standby).role()).as("kill %d: new primary", k).isEqualTo(NodeRole.PRIMARY);
        return new Window(k, primary, killAt, deadAt, firstWrite == 0 ? allWriters : firstWrite, allWriters);
    }

    private static void awaitWrites(LedgerWriters writers, int more) {
        long target = writers.acknowledged() + more;
        Waits.until(Duration.ofSeconds(60), more + " more acknowledged writes", () -> writers.acknowledged() >= target);
    }

    /**
     * pg_basebackup of the old primary from the new one, then synchronous_standby_names on the
     * new primary. The order matters: ALTER SYSTEM after the copy, so the rebuilt node does not
     * inherit a setting that would make it wait for itself once promoted.
     */
    private static void rebuildAsSynchronousStandby(PgNode old, PgNode newPrimary) {
        old.rebuildAsStandbyOf(newPrimary);
        newPrimary.execute("ALTER SYSTEM SET synchronous_standby_names = '" + old.applicationName() + "'");
        newPrimary.queryValue("SELECT pg_reload_conf()");
        Waits.until(Duration.ofSeconds(30), old + " is the synchronous standby", () -> "sync".equals(
                newPrimary.queryValue("SELECT coalesce(max(sync_state), '') FROM pg_stat_replication WHERE application_name = '"
                        + old.applicationName() + "'")));
    }

    private static void awaitView(InProcessVxpool vxpool, int primary, int standby) {
        Waits.until(Duration.ofSeconds(60), "auto_failback re-attaches node " + standby, () -> {
            try {
                ClusterView v = ReliabilityChecks.view(vxpool);
                return v.node(standby).status() == NodeStatus.UP && v.node(standby).role() == NodeRole.STANDBY
                        && v.node(primary).role() == NodeRole.PRIMARY;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static void assertNothingLost(PgNode primary, Set<Long> acknowledged, int kill) {
        Set<Long> present = new HashSet<>();
        primary.query("SELECT id FROM ledger").forEach(r -> present.add(Long.parseLong(r.get(0))));
        Set<Long> lost = new HashSet<>(acknowledged);
        lost.removeAll(present);
        assertThat(lost).as("acknowledged writes missing on %s after kill %d", primary, kill).isEmpty();
    }

    private static void assertErrorsOnlyInsideWindows(List<LedgerWriters.Failure> failures, List<Window> windows) {
        List<String> outside = new ArrayList<>();
        for (LedgerWriters.Failure a : failures) {
            if (windows.stream().noneMatch(w -> a.endNanos() >= w.killNanos() && a.endNanos() <= w.allWritersNanos())) {
                outside.add("writer " + a.writer() + " id " + a.id() + ": " + a.error());
            }
        }
        assertThat(outside).as("errors outside every failover window").isEmpty();
    }

    private static void report(List<Window> windows, List<LedgerWriters.Failure> failures, int acknowledged) {
        List<Long> all = windows.stream().map(Window::millis).sorted().toList();
        List<Long> first = windows.stream().map(Window::firstWriteMillis).sorted().toList();
        long errors = failures.size();
        System.out.printf("KILLSERIES kills=%d writers=%d acknowledged=%d lost=0 errors=%d"
                        + " window-ms(kill->every writer wrote again) median=%d max=%d all=%s"
                        + " kill->first-write-ms median=%d max=%d%n",
                windows.size(), WRITERS, acknowledged, errors, all.get((all.size() - 1) / 2), all.get(all.size() - 1),
                windows.stream().map(Window::millis).toList(), first.get((first.size() - 1) / 2), first.get(first.size() - 1));
    }
}
