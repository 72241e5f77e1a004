package org.vxpool.proxy.txpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vxpool.proxy.txpool.TxFixture.backends;
import static org.vxpool.proxy.txpool.TxFixture.connect;
import static org.vxpool.proxy.txpool.TxFixture.value;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.vxpool.proxy.ProxyFixture;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/**
 * pool_mode = transaction through real JDBC against a real primary and standby, with load
 * balancing (node 0 has weight 0, so reads go to the standby): 50 clients over
 * default_pool_size = 3, server-prepared statements, settings that follow the client, cancel.
 */
class TransactionPoolingTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1));
    @TempDir
    static Path dir;
    static PgCluster pg;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        pg = PG.cluster();
        pg.primary().execute("CREATE TABLE tx_t(id int primary key, v text)");
        pg.primary().execute("CREATE SCHEMA tx_schema");
        pg.primary().execute("CREATE TABLE tx_schema.marker(v text)");
        pg.primary().execute("INSERT INTO tx_schema.marker VALUES ('in tx_schema')");
        pg.standbys().get(0).waitForReplay(pg.primary());
        proxy = TxFixture.start(pg, dir, "default_pool_size = 3\nload_balance_mode = on\n", 0, 1);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static int primaryPort() {
        return pg.primary().port();
    }

    private static int standbyPort() {
        return pg.standbys().get(0).port();
    }

    @Test
    void readsGoToTheStandbyWritesAndTransactionsToThePrimary() throws Exception {
        try (Connection c = connect(proxy, pg)) {
            assertThat(value(c, "select inet_server_port()")).isEqualTo(String.valueOf(standbyPort()));
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("insert into tx_t values (1, 'a')");
            }
            assertThat(value(c, "select inet_server_port()")).isEqualTo(String.valueOf(primaryPort()));
            assertThat(value(c, "select v from tx_t where id = 1")).isEqualTo("a");
            c.rollback();
            c.setAutoCommit(true);
            assertThat(value(c, "select count(*) from tx_t where id = 1")).isEqualTo("0");
            assertThat(value(c, "select inet_server_port()")).isEqualTo(String.valueOf(standbyPort()));
        }
    }

    @Test
    void startUpNeedsNoBackendOnceTheLoginShapeIsKnownAndKeysAreVxpools() throws Exception {
        try (Connection first = connect(proxy, pg)) {
            value(first, "select 1");
        }
        long created = createdConnections();
        List<Connection> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                clients.add(connect(proxy, pg));
            }
            assertThat(createdConnections()).isEqualTo(created);
            PGConnection pgc = clients.get(0).unwrap(PGConnection.class);
            assertThat(pgc.getParameterStatus("server_version")).startsWith("15");
            assertThat(pgc.getParameterStatus("client_encoding")).isEqualTo("UTF8");
            assertThat(value(clients.get(0), "select pg_backend_pid()")).isNotEqualTo(String.valueOf(pgc.getBackendPID()));
        } finally {
            for (Connection c : clients) {
                c.close();
            }
        }
    }

    private static long createdConnections() {
        long n = 0;
        for (Object o : proxy.stats().getJsonArray("pools")) {
            n += ((JsonObject) o).getLong("created", 0L);
        }
        return n;
    }

    @Test
    void fiftyClientsShareThreeConnectionsPerNodeWithServerPreparedStatements() throws Exception {
        List<Connection> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            for (int i = 0; i < 50; i++) {
                clients.add(connect(proxy, pg, "prepareThreshold", "1"));
            }
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                Connection c = clients.get(i);
                int id = 1000 + i;
                done.add(pool.submit(() -> workload(c, id)));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(20);
            }
            assertThat(backends(pg.primary(), pg)).isBetween(1, 3);
            assertThat(backends(pg.standbys().get(0), pg)).isBetween(1, 3);
            assertThat(value(clients.get(0), "select count(*) from tx_t where id between 1000 and 1999")).isEqualTo("50");
        } finally {
            pool.shutdownNow();
            for (Connection c : clients) {
                c.close();
            }
        }
    }

    /** Reads and a write transaction through statements JDBC prepares on the server. */
    private static int workload(Connection c, int id) throws SQLException {
        int rounds = 0;
        for (int r = 0; r < 20; r++) {
            try (PreparedStatement ps = c.prepareStatement("select ?::int * 2, inet_server_port()")) {
                ps.setInt(1, r);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(r * 2);
                }
            }
            if (r == 10) {
                c.setAutoCommit(false);
                try (PreparedStatement ins = c.prepareStatement("insert into tx_t values (?, ?)")) {
                    ins.setInt(1, id);
                    ins.setString(2, "client " + id);
                    ins.executeUpdate();
                }
                try (PreparedStatement sel = c.prepareStatement("select v from tx_t where id = ?")) {
                    sel.setInt(1, id);
                    try (ResultSet rs = sel.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo("client " + id);
                    }
                }
                c.commit();
                c.setAutoCommit(true);
            }
            rounds++;
        }
        return rounds;
    }

    @Test
    void settingsFollowEachClientFromConnectionToConnection() throws Exception {
        List<Connection> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Connection c = connect(proxy, pg);
                clients.add(c);
                try (Statement st = c.createStatement()) {
                    st.execute("SET application_name = 'client-" + i + "'");
                    if (i % 2 == 0) {
                        st.execute("SET search_path = tx_schema, public");
                        st.execute("SET statement_timeout = '" + (10 + i) + "s'");
                    }
                }
            }
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < clients.size(); i++) {
                    Connection c = clients.get(i);
                    String expected = "client-" + i + "|" + (i % 2 == 0 ? "tx_schema, public|" + (10 + i) + "s" : "\"$user\", public|0");
                    assertThat(value(c, "select current_setting('application_name') || '|' || current_setting('search_path')"
                            + " || '|' || current_setting('statement_timeout')")).as("client %d round %d", i, round).isEqualTo(expected);
                }
            }
            Connection even = clients.get(0);
            assertThat(value(even, "select v from marker")).isEqualTo("in tx_schema");
            try (Statement st = even.createStatement()) {
                st.execute("RESET search_path");
            }
            assertThatThrownBy(() -> value(even, "select v from marker")).hasMessageContaining("does not exist");
            try (Statement st = even.createStatement()) {
                st.execute("DISCARD ALL");
            }
            // as on PostgreSQL: back to the start-up values (the driver SET application_name after start-up)
            assertThat(value(even, "select current_setting('application_name') || '|' || current_setting('statement_timeout')"))
                    .isEqualTo("|0");
        } finally {
            for (Connection c : clients) {
                c.close();
            }
        }
    }

    @Test
    void namedStatementsSurviveDeallocateAllAndCloseFromTheDriver() throws Exception {
        try (Connection c = connect(proxy, pg, "prepareThreshold", "1", "preparedStatementCacheQueries", "2")) {
            for (int i = 0; i < 30; i++) {
                // more distinct statements than the driver caches: it closes the oldest (Close of a statement)
                try (PreparedStatement ps = c.prepareStatement("select ?::int + " + (i % 4))) {
                    ps.setInt(1, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(i + i % 4);
                    }
                }
                if (i == 15) {
                    try (Statement st = c.createStatement()) {
                        st.execute("DEALLOCATE ALL");
                    }
                }
            }
        }
    }

    @Test
    void cancelReachesTheRunningQueryAndIsHarmlessWhenIdle() throws Exception {
        try (Connection c = connect(proxy, pg); Statement st = c.createStatement()) {
            st.cancel();
            assertThat(value(c, "select 42")).isEqualTo("42");
            CompletableFuture<Void> cancel = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(1000);
                    st.cancel();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> st.execute("select pg_sleep(30)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(15);
            cancel.get(10, TimeUnit.SECONDS);
            assertThat(value(c, "select 7")).isEqualTo("7");
        }
    }

    @Test
    void batchesCopyAndFetchSizeWork() throws Exception {
        try (Connection c = connect(proxy, pg, "prepareThreshold", "1")) {
            try (PreparedStatement ps = c.prepareStatement("insert into tx_t values (?, ?)")) {
                for (int i = 0; i < 500; i++) {
                    ps.setInt(1, 5000 + i);
                    ps.setString(2, "batch");
                    ps.addBatch();
                }
                assertThat(ps.executeBatch()).hasSize(500);
            }
            org.postgresql.copy.CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                rows.append(6000 + i).append("\tcopied\n");
            }
            assertThat(copy.copyIn("COPY tx_t FROM STDIN", new java.io.StringReader(rows.toString()))).isEqualTo(2000);
            // COPY ... TO is a read and goes to the standby; autocommit reads after a write are
            // balanced (disable_load_balance_on_write = transaction), so let replay catch up first
            pg.standbys().get(0).waitForReplay(pg.primary());
            java.io.StringWriter out = new java.io.StringWriter();
            assertThat(copy.copyOut("COPY (SELECT id FROM tx_t WHERE v = 'copied') TO STDOUT", out)).isEqualTo(2000);
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.setFetchSize(100);
                int n = 0;
                try (ResultSet rs = st.executeQuery("select id from tx_t where v in ('batch', 'copied')")) {
                    while (rs.next()) {
                        n++;
                    }
                }
                assertThat(n).isEqualTo(2500);
            }
            c.commit();
        }
    }
}
