package org.vxpool.it.reliability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A well-behaved JDBC session that keeps querying through vxpool on one connection while a test
 * attacks it; every failure or wrong answer is kept for the test to assert on.
 */
final class Bystander implements AutoCloseable {
    final AtomicInteger queries = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Connection connection;
    private final Thread thread;

    private Bystander(Connection connection) {
        this.connection = connection;
        this.thread = new Thread(this::loop, "bystander");
    }

    /** Connects as the trusted fuzz user ({@code fuzzer}, no password) and starts querying. */
    static Bystander start(String url) throws SQLException {
        return start(url, "fuzzer", null);
    }

    static Bystander start(String url, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("socketTimeout", "10");
        Bystander b = new Bystander(DriverManager.getConnection(url, p));
        b.thread.start();
        return b;
    }

    private void loop() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT ?::int * 7")) {
            for (int i = 0; !stop.get(); i++) {
                ps.setInt(1, i);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getInt(1) != i * 7) {
                        failures.add("wrong answer for " + i);
                    }
                }
                queries.incrementAndGet();
                ReliabilityChecks.sleep(20);
            }
        } catch (SQLException e) {
            failures.add(e.getSQLState() + " " + e.getMessage());
        }
    }

    /** Stops the loop; returns the failures seen. */
    List<String> stop() throws InterruptedException {
        stop.set(true);
        thread.join(30_000);
        return List.copyOf(failures);
    }

    @Override
    public void close() throws Exception {
        stop();
        connection.close();
    }
}
