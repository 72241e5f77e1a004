package org.vxpool.it.netns;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.vxpool.testkit.netns.NetnsLab;

/**
 * A small client load through the delegate IP: a few real psql clients on the client host, each
 * inserting a fresh id in a loop, one connection per INSERT (2 s connect timeout), so that every
 * attempt asks again where the IP is. Every attempt is recorded on the test's clock.
 */
final class VipWriters implements AutoCloseable {
    /**
     * One INSERT: when it started and ended (ms since the load started), whether psql said it
     * committed, and what psql said when it did not.
     */
    record Attempt(int client, long id, long startMs, long endMs, boolean ok, String error) {
    }

    private final long t0 = System.nanoTime();
    private final long t0Wall = System.currentTimeMillis();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong nextId = new AtomicLong();
    private final List<Attempt> attempts = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    /** Starts {@code clients} writers into {@code table} (one bigint column, created by the caller). */
    VipWriters(TutorialNetwork net, String table, int clients) {
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    long id = nextId.incrementAndGet();
                    long start = nowMs();
                    NetnsLab.Result r = net.sqlViaVip("INSERT INTO " + table + " VALUES (" + id + ")");
                    synchronized (attempts) {
                        attempts.add(new Attempt(client, id, start, nowMs(), r.ok(), r.ok() ? "" : r.output().strip()));
                    }
                    TutorialNetwork.sleep(50);
                }
            }, "vip-writer-" + c);
            threads.add(t);
            t.start();
        }
    }

    /** Wall-clock time of a point on this load's clock, to set against the nodes' log lines. */
    LocalTime wallClock(long ms) {
        return LocalTime.ofInstant(Instant.ofEpochMilli(t0Wall + ms), ZoneId.systemDefault());
    }

    long nowMs() {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    List<Attempt> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    /** Whether every client has committed an INSERT that it started after {@code ms}. */
    boolean allWroteAfter(long ms) {
        return threads.size() == attempts().stream().filter(a -> a.ok() && a.startMs() >= ms)
                .map(Attempt::client).distinct().count();
    }

    /**
     * The outage a client saw: from {@code faultMs} until the last client's first INSERT started
     * after the fault committed. Empty while some client has not written again.
     */
    OptionalLong outageAfter(long faultMs) {
        long worst = 0;
        for (int c = 0; c < threads.size(); c++) {
            int client = c;
            OptionalLong back = attempts().stream().filter(a -> a.client() == client && a.ok() && a.startMs() >= faultMs)
                    .mapToLong(Attempt::endMs).min();
            if (back.isEmpty()) {
                return OptionalLong.empty();
            }
            worst = Math.max(worst, back.getAsLong() - faultMs);
        }
        return OptionalLong.of(worst);
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(40_000);
        }
    }
}
