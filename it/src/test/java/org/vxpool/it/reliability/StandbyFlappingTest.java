package org.vxpool.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.it.InProcessVxpool;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgNode;
import org.vxpool.testkit.StopMode;
import org.vxpool.testkit.Waits;

/**
 * A standby that goes away and comes back every few seconds, with every read weighted to it:
 * the primary never changes (no failover storm), reads never go to the standby while vxpool has
 * it down, and auto_failback re-attaches it only once it streams again: one round starts it with
 * a primary_conninfo that leads nowhere, and it must stay down until that is fixed.
 */
class StandbyFlappingTest {
    private static final int CYCLES = 4;

    @TempDir
    Path dir;

    /** One read through vxpool: which backend port answered, or the error. */
    record Read(long startNanos, long endNanos, int port, String error) {
    }

    /** When vxpool had the standby down, from the view sampler's point of view. */
    record Down(long fromNanos, long toNanos) {
    }

    @Test
    void flappingStandbyCausesNoFailoverAndNoReadsWhileDown() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).user("reader", null, PasswordEncryption.NONE, false).start();
             InProcessVxpool vxpool = InProcessVxpool.start(pg, dir, c -> c + PrimaryKillSeriesTest.conf(pg)
                     + "load_balance_mode = on\nbackend_weight0 = 0\nbackend_weight1 = 1\n")) {
            PgNode primary = pg.node(0);
            PgNode standby = pg.node(1);
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> primaryChanges = new ConcurrentLinkedQueue<>();
            List<Down> downs = new ArrayList<>();
            Thread reader = new Thread(() -> readLoop(vxpool.url, reads, stop));
            Thread sampler = new Thread(() -> sample(vxpool, primaryChanges, downs, stop));
            reader.start();
            sampler.start();
            try {
                for (int cycle = 0; cycle < CYCLES; cycle++) {
                    awaitStandby(vxpool, NodeStatus.UP, Duration.ofSeconds(30));
                    Thread.sleep(1500);
                    if (cycle == 2) {
                        notStreamingUntilFixed(vxpool, standby, primary);
                    } else {
                        standby.stop(StopMode.FAST);
                        awaitStandby(vxpool, NodeStatus.DOWN, Duration.ofSeconds(30));
                        Thread.sleep(1500);
                        standby.start();
                    }
                }
                awaitStandby(vxpool, NodeStatus.UP, Duration.ofSeconds(30));
                Thread.sleep(1000);
            } finally {
                stop.set(true);
                reader.join(30_000);
                sampler.join(30_000);
            }
            assertThat(primaryChanges).as("primary changes or failovers of node 0").isEmpty();
            List<Down> periods;
            synchronized (downs) {
                periods = List.copyOf(downs);
            }
            assertThat(periods).as("down periods of the standby seen by vxpool").hasSizeGreaterThanOrEqualTo(CYCLES);
            checkReads(List.copyOf(reads), periods, primary.port(), standby.port());
        }
    }

    /**
     * Restarts the standby with a primary_conninfo pointing nowhere: it answers the health check
     * but does not stream, so it must stay down; fixing the conninfo must bring it back.
     */
    private static void notStreamingUntilFixed(InProcessVxpool vxpool, PgNode standby, PgNode primary) throws Exception {
        String conninfo = standby.queryValue("SHOW primary_conninfo");
        standby.execute("ALTER SYSTEM SET primary_conninfo = '" + conninfo.replace("port=" + primary.port(), "port=1") + "'");
        standby.stop(StopMode.FAST);
        awaitStandby(vxpool, NodeStatus.DOWN, Duration.ofSeconds(30));
        standby.start();
        Thread.sleep(4000);
        assertThat(ReliabilityChecks.view(vxpool).node(standby.id()).status())
                .as("a standby that runs but does not stream stays down").isEqualTo(NodeStatus.DOWN);
        standby.execute("ALTER SYSTEM SET primary_conninfo = '" + conninfo + "'");
        standby.queryValue("SELECT pg_reload_conf()");
    }

    private static void awaitStandby(InProcessVxpool vxpool, NodeStatus status, Duration timeout) {
        Waits.until(timeout, "standby " + status, () -> {
            try {
                return ReliabilityChecks.view(vxpool).node(1).status() == status;
            } catch (Exception e) {
                return false;
            }
        });
    }

    /**
     * Every 50 ms: is node 0 still the primary and up; when is node 1 down. A down period runs
     * from the end of the first request that saw node 1 down to the start of the last one that
     * did: the view was read somewhere inside each request, so only that span is surely down.
     */
    private static void sample(InProcessVxpool vxpool, ConcurrentLinkedQueue<String> changes, List<Down> downs,
                               AtomicBoolean stop) {
        long downSince = 0;
        long lastDownAsked = 0;
        while (!stop.get()) {
            try {
                long asked = System.nanoTime();
                ClusterView v = ReliabilityChecks.view(vxpool);
                long now = System.nanoTime();
                if (v.node(0).role() != NodeRole.PRIMARY || v.node(0).status() != NodeStatus.UP) {
                    changes.add("node 0 " + v.node(0).status() + " " + v.node(0).role() + " in epoch " + v.epoch());
                }
                boolean down = v.node(1).status() == NodeStatus.DOWN;
                if (down) {
                    if (downSince == 0) {
                        downSince = now;
                    }
                    lastDownAsked = asked;
                } else if (downSince != 0) {
                    if (lastDownAsked > downSince) {
                        synchronized (downs) {
                            downs.add(new Down(downSince, lastDownAsked));
                        }
                    }
                    downSince = 0;
                }
                Thread.sleep(50);
            } catch (Exception e) {
                changes.add("view not available: " + e);
            }
        }
    }

    /** One new session per read, so each read is a fresh load-balancing decision. */
    private static void readLoop(String url, ConcurrentLinkedQueue<Read> reads, AtomicBoolean stop) {
        Properties p = new Properties();
        p.setProperty("user", "reader");
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "10");
        while (!stop.get()) {
            long start = System.nanoTime();
            try (Connection c = DriverManager.getConnection(url, p); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT inet_server_port()")) {
                rs.next();
                reads.add(new Read(start, System.nanoTime(), rs.getInt(1), null));
            } catch (SQLException e) {
                reads.add(new Read(start, System.nanoTime(), 0, e.getSQLState() + " " + e.getMessage()));
            }
            ReliabilityChecks.sleep(20);
        }
    }

    /**
     * Reads that started and ended inside a down period went to the primary and succeeded; the
     * standby served reads while up (so the check can fail); errors only within 2 s of a stop.
     */
    private static void checkReads(List<Read> reads, List<Down> downs, int primaryPort, int standbyPort) {
        List<String> wrong = new ArrayList<>();
        int insideDown = 0;
        for (Read r : reads) {
            boolean inside = downs.stream().anyMatch(d -> r.startNanos() >= d.fromNanos() && r.endNanos() <= d.toNanos());
            if (inside) {
                insideDown++;
                if (r.error() != null || r.port() != primaryPort) {
                    wrong.add("read while the standby was down: " + (r.error() != null ? r.error() : "port " + r.port()));
                }
            }
        }
        long byStandby = reads.stream().filter(r -> r.port() == standbyPort).count();
        long errors = reads.stream().filter(r -> r.error() != null).count();
        System.out.printf("FLAPPING cycles=%d reads=%d by-standby=%d while-down=%d errors=%d down-periods=%d%n",
                CYCLES, reads.size(), byStandby, insideDown, errors, downs.size());
        assertThat(wrong).isEmpty();
        // A read that was on the standby when it shut down fails, just before vxpool marks it down.
        long slack = 2_000_000_000L;
        assertThat(reads.stream().filter(r -> r.error() != null && downs.stream()
                .noneMatch(d -> r.endNanos() >= d.fromNanos() - slack && r.endNanos() <= d.fromNanos() + slack))
                .map(Read::error).toList()).as("read errors away from a standby stop").isEmpty();
        assertThat(insideDown).as("reads while the standby was down").isGreaterThan(20);
        assertThat(byStandby).as("reads served by the standby while up").isGreaterThan(20);
    }
}
