package org.vxpool.it.reliability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.JMException;
import javax.management.ObjectName;
import org.vxpool.it.InProcessVxpool;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgNode;

/**
 * The soak's extra load and measurements (bench/soak.sh): pgbench TPC-B through vxpool, restarted
 * whenever it ends (a failover aborts its clients), and a resource sample per round: heap after
 * GC and live threads of this JVM (which runs vxpool), client backends on the primary.
 */
final class SoakLoad implements AutoCloseable {
    /** One round's resources. */
    record Sample(int round, long heapMb, int threads, int backends) {
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger runs = new AtomicInteger();
    private final Thread loop;
    final List<Sample> samples = new ArrayList<>();

    private SoakLoad(PgCluster pg, InProcessVxpool vxpool, Path dir) {
        loop = new Thread(() -> {
            while (!stop.get()) {
                try {
                    Process p = vxpool.pgbench(pg, dir.resolve("pgbench-" + runs.incrementAndGet() % 2 + ".log"),
                            "-n", "-c", "4", "-T", "30");
                    while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
                        if (stop.get()) {
                            p.destroy();
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                } catch (InterruptedException e) {
                    return;
                }
                ReliabilityChecks.sleep(500);
            }
        }, "soak-pgbench");
    }

    static SoakLoad start(PgCluster pg, InProcessVxpool vxpool, Path dir) throws Exception {
        Process init = vxpool.pgbench(pg, dir.resolve("pgbench-init.log"), "-i", "-s", "1");
        if (!init.waitFor(120, TimeUnit.SECONDS) || init.exitValue() != 0) {
            throw new IllegalStateException("pgbench -i through vxpool failed; see " + dir.resolve("pgbench-init.log"));
        }
        SoakLoad load = new SoakLoad(pg, vxpool, dir);
        load.loop.start();
        return load;
    }

    /** Records this round's heap (after a GC), thread count and the primary's client backends. */
    Sample sample(int round, PgNode primary) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        int backends = clientBackends(primary);
        Sample s = new Sample(round, heap, threads, backends);
        samples.add(s);
        writeHistogram(round);
        System.out.printf("SOAK round=%d heap-mb=%d threads=%d client-backends=%d pgbench-runs=%d%n", round, heap,
                threads, backends, runs.get());
        return s;
    }

    /**
     * With {@code -Dvxpool.soak.histograms=DIR}, the live-object class histogram of this JVM
     * ({@code jcmd GC.class_histogram}) after each round goes to DIR/round-N.txt, so that rounds
     * can be compared to find what grows.
     */
    private static void writeHistogram(int round) {
        String dir = System.getProperty("vxpool.soak.histograms", "");
        if (dir.isEmpty()) {
            return;
        }
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            Files.createDirectories(Path.of(dir));
            Files.writeString(Path.of(dir, "round-" + round + ".txt"), text.toString());
        } catch (JMException | IOException e) {
            System.out.println("SOAK no histogram for round " + round + ": " + e);
        }
    }

    static int clientBackends(PgNode primary) {
        return Integer.parseInt(primary.queryValue(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"));
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        loop.join(30_000);
    }
}
