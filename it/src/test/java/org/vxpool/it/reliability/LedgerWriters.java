package org.vxpool.it.reliability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client-side ledger under load: a few JDBC writers insert unique ids through vxpool, one
 * autocommit INSERT at a time, and log every attempt with its start and end time and whether it
 * was acknowledged. An id whose INSERT failed is never reused (it may or may not be committed).
 */
final class LedgerWriters implements AutoCloseable {
    /** One INSERT attempt; {@code ok} means the client saw the commit acknowledged. */
    record Attempt(int writer, long id, long startNanos, long endNanos, boolean ok, String error) {
    }

    private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong[] lastOkStart;
    private final String url;
    private final Properties login;

    LedgerWriters(String url, String user, String password, int writers) {
        this.url = url;
        this.login = new Properties();
        login.setProperty("user", user);
        login.setProperty("password", password);
        login.setProperty("connectTimeout", "5");
        login.setProperty("socketTimeout", "30");
        lastOkStart = new AtomicLong[writers];
        for (int w = 0; w < writers; w++) {
            lastOkStart[w] = new AtomicLong();
            int writer = w;
            Thread t = new Thread(() -> loop(writer), "ledger-writer-" + w);
            threads.add(t);
            t.start();
        }
    }

    private void loop(int writer) {
        long id = (long) writer << 40;
        while (!stop.get()) {
            long started = System.nanoTime();
            try (Connection c = DriverManager.getConnection(url, login); Statement st = c.createStatement()) {
                while (!stop.get()) {
                    started = System.nanoTime();
                    st.execute("INSERT INTO ledger VALUES (" + id + ")");
                    attempts.add(new Attempt(writer, id, started, System.nanoTime(), true, null));
                    lastOkStart[writer].set(started);
                    id++;
                }
            } catch (SQLException e) {
                attempts.add(new Attempt(writer, id, started, System.nanoTime(), false,
                        e.getSQLState() + " " + e.getMessage()));
                id++;
                ProtocolFuzzTest.sleep(20);
            }
        }
    }

    /** True once every writer has had an INSERT acknowledged that it started at or after {@code nanos}. */
    boolean everyWriterSucceededSince(long nanos) {
        for (AtomicLong l : lastOkStart) {
            if (l.get() < nanos) {
                return false;
            }
        }
        return true;
    }

    long acknowledged() {
        return attempts.stream().filter(Attempt::ok).count();
    }

    Set<Long> acknowledgedIds() {
        Set<Long> ids = new TreeSet<>();
        attempts.stream().filter(Attempt::ok).forEach(a -> ids.add(a.id()));
        return ids;
    }

    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(60_000);
        }
    }
}
