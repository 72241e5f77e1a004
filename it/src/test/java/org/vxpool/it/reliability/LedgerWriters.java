package org.vxpool.it.reliability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client-side ledger under load: a few JDBC writers insert unique ids through vxpool, one
 * autocommit INSERT at a time. Acknowledged ids are kept as one bit each (writer w's n-th id is
 * {@code w << 40 | n}), failed attempts with their start and end time, so a 30-minute soak does
 * not grow the heap it measures. An id whose INSERT failed is never reused (it may or may not be
 * committed). Public for the follow_primary.sh test in {@code org.vxpool.it}.
 */
public final class LedgerWriters implements AutoCloseable {
    /** One failed INSERT attempt. */
    public record Failure(int writer, long id, long startNanos, long endNanos, String error) {
    }

    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong[] lastOkStart;
    private final BitSet[] acked;
    private final AtomicLong ackCount = new AtomicLong();
    private final String url;
    private final Properties login;

    public LedgerWriters(String url, String user, String password, int writers) {
        this.url = url;
        this.login = new Properties();
        login.setProperty("user", user);
        login.setProperty("password", password);
        login.setProperty("connectTimeout", "5");
        login.setProperty("socketTimeout", "30");
        lastOkStart = new AtomicLong[writers];
        acked = new BitSet[writers];
        for (int w = 0; w < writers; w++) {
            lastOkStart[w] = new AtomicLong();
            acked[w] = new BitSet();
            int writer = w;
            Thread t = new Thread(() -> loop(writer), "ledger-writer-" + w);
            threads.add(t);
            t.start();
        }
    }

    private void loop(int writer) {
        int n = 0;
        while (!stop.get()) {
            long started = System.nanoTime();
            try (Connection c = DriverManager.getConnection(url, login); Statement st = c.createStatement()) {
                while (!stop.get()) {
                    started = System.nanoTime();
                    st.execute("INSERT INTO ledger VALUES (" + id(writer, n) + ")");
                    synchronized (acked[writer]) {
                        acked[writer].set(n);
                    }
                    ackCount.incrementAndGet();
                    lastOkStart[writer].set(started);
                    n++;
                }
            } catch (SQLException e) {
                failures.add(new Failure(writer, id(writer, n), started, System.nanoTime(),
                        e.getSQLState() + " " + e.getMessage()));
                n++;
                ReliabilityChecks.sleep(20);
            }
        }
    }

    private static long id(int writer, int n) {
        return ((long) writer << 40) | n;
    }

    /** True once every writer has had an INSERT acknowledged that it started at or after {@code nanos}. */
    public boolean everyWriterSucceededSince(long nanos) {
        for (AtomicLong l : lastOkStart) {
            if (l.get() < nanos) {
                return false;
            }
        }
        return true;
    }

    /** True once some writer has had an INSERT acknowledged that it started at or after {@code nanos}. */
    boolean anyWriterSucceededSince(long nanos) {
        for (AtomicLong l : lastOkStart) {
            if (l.get() >= nanos) {
                return true;
            }
        }
        return false;
    }

    public long acknowledged() {
        return ackCount.get();
    }

    public Set<Long> acknowledgedIds() {
        Set<Long> ids = new TreeSet<>();
        for (int w = 0; w < acked.length; w++) {
            synchronized (acked[w]) {
                for (int n = acked[w].nextSetBit(0); n >= 0; n = acked[w].nextSetBit(n + 1)) {
                    ids.add(id(w, n));
                }
            }
        }
        return ids;
    }

    public List<Failure> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(60_000);
        }
    }
}
