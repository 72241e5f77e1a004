package org.vxpool.proxy.txpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vxpool.proxy.txpool.TxFixture.backends;
import static org.vxpool.proxy.txpool.TxFixture.connect;
import static org.vxpool.proxy.txpool.TxFixture.value;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.config.ConfigReload;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.ProcessResult;
import org.vxpool.testkit.Waits;

/**
 * tx_pipeline_depth: autocommit reads of several clients sent one behind the other on a busy
 * connection when the pool is full. pgbench and JDBC over few connections on one event loop
 * (every answer reaches its own client), then one connection (default_pool_size = 1) with a slow
 * read running, so that the next clients' reads are queued behind it: an error in the unit ahead,
 * a client that vanishes while queued, a cancel for a queued client, the backend terminated under
 * several queued units, and a client whose settings differ (not pipelined).
 */
class TxPipelineTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder());
    @TempDir
    static Path dir;
    @TempDir
    static Path dirOne;
    static ProxyFixture proxy;
    /** default_pool_size = 1: what runs ahead is known. */
    static ProxyFixture one;
    static final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() throws Exception {
        proxy = TxFixture.start(PG.cluster(), dir, "default_pool_size = 2\ntx_pipeline_depth = 4\n");
        one = TxFixture.start(PG.cluster(), dirOne, "default_pool_size = 1\ntx_pipeline_depth = 4\ntx_pipeline_max_age = 0\npool_timeout = 60000\n");
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        proxy.close();
        one.close();
    }

    static long pipelined(ProxyFixture p) {
        return p.stats().getLong("txPipelined");
    }

    @Test
    void pgbenchSelectOnlyPipelinesInEveryQueryModeWithThirtyTwoClientsOverTwoConnections() {
        PgCluster pg = PG.cluster();
        ProcessResult init = pg.primary().pgbench("-h", "127.0.0.1", "-p", String.valueOf(proxy.port), "-i", "-s", "1", "-q");
        assertThat(init.exitCode()).as(init.output()).isZero();
        for (String mode : new String[] {"simple", "extended", "prepared"}) {
            long before = pipelined(proxy);
            ProcessResult r = pg.primary().pgbench("-h", "127.0.0.1", "-p", String.valueOf(proxy.port),
                    "-S", "-M", mode, "-t", "100", "-c", "32", "-j", "2");
            assertThat(r.exitCode()).as(mode + "\n" + r.output()).isZero();
            assertThat(r.stdout()).as(mode).contains("number of failed transactions: 0 (0.000%)");
            assertThat(r.stdout()).as(mode).contains("number of transactions actually processed: 3200/3200");
            assertThat(r.stderr()).as(mode).doesNotContain("ERROR", "FATAL");
            // the other proxy of this class keeps its one connection
            assertThat(backends(pg.primary(), pg)).as(mode).isLessThanOrEqualTo(3);
            assertThat(pipelined(proxy) - before).as(mode + ": units pipelined behind another client's").isGreaterThan(100);
        }
    }

    @Test
    void everyJdbcClientReadsItsOwnAnswersWhenPipelined() throws Exception {
        long before = pipelined(proxy);
        List<Future<Integer>> clients = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int id = i;
            // half with server-prepared statements (a Bind of a shared statement), half simple Query
            boolean prepared = i % 2 == 0;
            clients.add(pool.submit(() -> ownValues(id, prepared)));
        }
        for (Future<Integer> f : clients) {
            assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(300);
        }
        assertThat(pipelined(proxy) - before).as("units pipelined").isGreaterThan(50);
        assertThat(backends(PG.cluster().primary(), PG.cluster())).isLessThanOrEqualTo(3);
    }

    private static int ownValues(int id, boolean prepared) throws SQLException {
        int n = 0;
        try (Connection c = connect(proxy, PG.cluster(), "prepareThreshold", prepared ? "1" : "0",
                "preferQueryMode", prepared ? "extended" : "simple")) {
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::int * 1000 + ?::int")) {
                for (int k = 0; k < 300; k++) {
                    ps.setInt(1, id);
                    ps.setInt(2, k);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) != id * 1000 + k) {
                            throw new AssertionError("client " + id + " read " + rs.getInt(1) + " for " + (id * 1000 + k));
                        }
                    }
                    n++;
                }
            }
        }
        return n;
    }

    /** Waits until the one connection of {@link #one} runs the statement marked {@code marker}. */
    private static void running(String marker) {
        Waits.until(Duration.ofSeconds(20), marker + " running", () -> Integer.parseInt(PG.cluster().primary().queryValue(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%" + marker + "%'"
                        + " AND pid <> pg_backend_pid()")) == 1);
    }

    /** Clients connected before the slow statement runs: their next statement needs no login. */
    private static Connection[] clients(int n) throws SQLException {
        Connection[] cs = new Connection[n];
        for (int i = 0; i < n; i++) {
            cs[i] = connect(one, PG.cluster());
            value(cs[i], "SELECT 1");
        }
        return cs;
    }

    private static CompletableFuture<String> async(Connection c, String sql) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return value(c, sql);
            } catch (SQLException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, pool);
    }

    /** Waits until {@code delta} more units were pipelined on {@link #one} than {@code before}. */
    private static void pipelinedSince(long before, int delta) {
        Waits.until(Duration.ofSeconds(20), delta + " unit(s) pipelined", () -> pipelined(one) - before >= delta);
    }

    /**
     * {@code ahead} (marked {@code marker}) runs on the one connection for {@code cs[0]}; then each
     * of {@code queued} is sent by the next client and waits until it is pipelined behind it.
     *
     * @return the futures of {@code ahead} and of each queued statement, in order
     */
    private static List<CompletableFuture<String>> queuedBehind(Connection[] cs, String ahead, String marker, String... queued) {
        long before = pipelined(one);
        List<CompletableFuture<String>> all = new ArrayList<>();
        all.add(async(cs[0], ahead));
        running(marker);
        for (int i = 0; i < queued.length; i++) {
            all.add(async(cs[i + 1], queued[i]));
            pipelinedSince(before, i + 1);
        }
        return all;
    }

    @Test
    void anErrorInTheUnitAheadLeavesTheQueuedUnitsAlone() throws Exception {
        Connection[] cs = clients(3);
        try {
            // the division runs after the sleep: the error comes while the units behind wait in the socket
            List<CompletableFuture<String>> f = queuedBehind(cs, "SELECT 1 / (length(pg_sleep(3)::text) * 0) /* ahead-fails */",
                    "ahead-fails", "SELECT 'b' || 1", "SELECT 'c' || 2");
            io.vertx.core.json.JsonObject stats = one.stats();
            assertThat(stats.getJsonObject("sessions").getInteger("in_query")).as("the running and the queued clients are active")
                    .isEqualTo(3);
            assertThat(stats.getJsonArray("pools").getJsonObject(0).getInteger("active")).as("on one connection").isEqualTo(1);
            assertThatThrownBy(() -> f.get(0).get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(PSQLException.class)
                    .hasMessageContaining("division by zero");
            assertThat(f.get(1).get(20, TimeUnit.SECONDS)).isEqualTo("b1");
            assertThat(f.get(2).get(20, TimeUnit.SECONDS)).isEqualTo("c2");
            assertThat(value(cs[0], "SELECT 'a' || 3")).as("the failed client goes on").isEqualTo("a3");
        } finally {
            close(cs);
        }
    }

    @Test
    void aFailingUnitAheadLeavesANamedStatementPreparedBehindItIntact() throws Exception {
        // JDBC prepares server-side at once: the first execution's Parse, the next ones Bind only
        Connection[] cs = clients(2);
        try (Connection prep = connect(one, PG.cluster(), "prepareThreshold", "1")) {
            long before = pipelined(one);
            CompletableFuture<String> slow = async(cs[0], "SELECT pg_sleep(3)::text || 'x' /* ahead-slow */");
            running("ahead-slow");
            CompletableFuture<String> bad = async(cs[1], "SELECT no_such_column FROM pg_class /* fails */");
            pipelinedSince(before, 1);
            try (PreparedStatement ps = prep.prepareStatement("SELECT ?::int + 1")) {
                ps.setInt(1, 41);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(42);
                }
                ps.setInt(1, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(2);
                }
            }
            assertThat(slow.get(20, TimeUnit.SECONDS)).isEqualTo("x");
            assertThatThrownBy(() -> bad.get(20, TimeUnit.SECONDS)).hasMessageContaining("no_such_column");
        } finally {
            close(cs);
        }
    }

    @Test
    void aClientThatVanishesWhileQueuedCostsTheOthersNothing() throws Exception {
        Connection[] cs = clients(3);
        try {
            List<CompletableFuture<String>> f = queuedBehind(cs, "SELECT pg_sleep(3)::text || 'a' /* ahead-vanish */", "ahead-vanish",
                    "SELECT pg_sleep(1)::text || 'gone'", "SELECT 'c' || 3");
            cs[1].abort(Runnable::run);
            assertThat(f.get(0).get(20, TimeUnit.SECONDS)).isEqualTo("a");
            assertThat(f.get(2).get(20, TimeUnit.SECONDS)).isEqualTo("c3");
            assertThatThrownBy(() -> f.get(1).get(20, TimeUnit.SECONDS)).isNotNull();
            assertThat(value(cs[0], "SELECT 'again'")).isEqualTo("again");
            assertThat(value(cs[2], "SELECT 'again'")).isEqualTo("again");
            assertThat(backends(PG.cluster().primary(), PG.cluster())).as("the connection was kept").isLessThanOrEqualTo(3);
        } finally {
            close(cs);
        }
    }

    @Test
    void aCancelForAQueuedClientWaitsForItsUnitAndNeverCancelsTheRunningOne() throws Exception {
        Connection[] cs = clients(2);
        try {
            long before = pipelined(one);
            CompletableFuture<String> a = async(cs[0], "SELECT pg_sleep(3)::text || 'a' /* ahead-cancel */");
            running("ahead-cancel");
            Statement queued = cs[1].createStatement();
            long start = System.nanoTime();
            CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> {
                try (ResultSet rs = queued.executeQuery("SELECT pg_sleep(20)::text || 'b' /* queued-cancel */")) {
                    rs.next();
                    return rs.getString(1);
                } catch (SQLException e) {
                    return e.getSQLState();
                }
            }, pool);
            pipelinedSince(before, 1);
            queued.cancel();
            assertThat(a.get(20, TimeUnit.SECONDS)).as("the running statement, another client's, is not cancelled").isEqualTo("a");
            assertThat(b.get(20, TimeUnit.SECONDS)).as("cancelled once its unit ran").isEqualTo("57014");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
            assertThat(value(cs[1], "SELECT 'after'")).isEqualTo("after");
        } finally {
            close(cs);
        }
    }

    @Test
    void aTerminatedBackendFailsEveryQueuedUnitAndTheClientsGoOn() throws Exception {
        Connection[] cs = clients(3);
        try {
            List<CompletableFuture<String>> all = queuedBehind(cs, "SELECT pg_sleep(30)::text || 'a' /* ahead-terminated */",
                    "ahead-terminated", "SELECT 'b' || 1", "SELECT 'c' || 2");
            PG.cluster().primary().queryValue("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%ahead-terminated%'"
                    + " AND pid <> pg_backend_pid()");
            for (CompletableFuture<String> f : all) {
                assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(PSQLException.class)
                        .satisfies(e -> assertThat(((PSQLException) e.getCause()).getSQLState()).isEqualTo("57P01"));
            }
            for (int i = 0; i < 3; i++) {
                assertThat(value(cs[i], "SELECT 'on' || " + i)).as("client " + i + " goes on").isEqualTo("on" + i);
            }
        } finally {
            close(cs);
        }
    }

    /** The view of {@link #one}'s cluster at {@code epoch}, with node 0 (the primary) up or marked down. */
    private static ClusterView primary(long epoch, boolean up) {
        List<BackendNode> nodes = new ArrayList<>();
        for (BackendNode n : TxFixture.view(PG.cluster()).nodes()) {
            nodes.add(n.id() != 0 || up ? n : n.withStatus(NodeStatus.DOWN, 1_700_000_000_001L + epoch));
        }
        return new ClusterView(epoch, nodes);
    }

    /** Node 0's status as {@code SHOW pool_nodes} shows it (answered by vxpool, no backend needed). */
    private static String nodeStatus(Connection c) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW pool_nodes")) {
            rs.next();
            return rs.getString("status");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aNodeMarkedDownFailsEveryQueuedUnitAndTheClientsGoOnOnceItIsBack() throws Exception {
        Connection[] cs = clients(3);
        try {
            List<CompletableFuture<String>> all = queuedBehind(cs, "SELECT pg_sleep(30)::text || 'a' /* ahead-node-down */",
                    "ahead-node-down", "SELECT 'b' || 1", "SELECT 'c' || 2");
            one.publish(primary(100, false));
            for (CompletableFuture<String> f : all) {
                assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(PSQLException.class)
                        .satisfies(e -> assertThat(((PSQLException) e.getCause()).getSQLState()).isEqualTo("08006"));
            }
            one.publish(primary(101, true));
            // the view reaches the proxy's event loop by the event bus: wait until it shows
            Waits.until(Duration.ofSeconds(20), "node 0 shown up again", () -> "up".equals(nodeStatus(cs[0])));
            for (int i = 0; i < 3; i++) {
                assertThat(value(cs[i], "SELECT 'on' || " + i)).as("client " + i + " goes on").isEqualTo("on" + i);
            }
        } finally {
            // the sleep goes on in PostgreSQL after vxpool closed its connection
            PG.cluster().primary().queryValue("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE query LIKE '%ahead-node-down%' AND pid <> pg_backend_pid()");
            close(cs);
        }
    }

    @Test
    void aClientWhoseSettingsDifferIsNotPipelined() throws Exception {
        Connection[] cs = clients(2);
        try {
            try (Statement st = cs[1].createStatement()) {
                st.execute("SET search_path = pg_catalog");
            }
            long before = pipelined(one);
            CompletableFuture<String> a = async(cs[0], "SELECT pg_sleep(3)::text || current_setting('search_path') /* ahead-settings */");
            running("ahead-settings");
            CompletableFuture<String> b = async(cs[1], "SELECT current_setting('search_path')");
            assertThat(a.get(20, TimeUnit.SECONDS)).isEqualTo("\"$user\", public");
            assertThat(b.get(20, TimeUnit.SECONDS)).as("its own search_path").isEqualTo("pg_catalog");
            assertThat(pipelined(one)).as("not pipelined behind a connection with other settings").isEqualTo(before);
        } finally {
            close(cs);
        }
    }

    /**
     * tx_pipeline_max_age (10 ms here): with both connections busy, a short read does not go
     * behind the statement that has run for seconds (it would wait for all of it), but waits for
     * the other connection or goes behind its fresh statement.
     */
    @Test
    void aReadIsNotQueuedBehindAStatementThatHasRunForAWhile() throws Exception {
        Connection[] cs = new Connection[3];
        try {
            for (int i = 0; i < cs.length; i++) {
                cs[i] = connect(proxy, PG.cluster());
                value(cs[i], "SELECT 1");
            }
            // the long one takes the first connection lent, the one a plain shortest-queue pick meets first
            CompletableFuture<String> longer = async(cs[0], "SELECT pg_sleep(6)::text || 'a' /* long-ahead */");
            running("long-ahead");
            CompletableFuture<String> shorter = async(cs[1], "SELECT pg_sleep(0.5)::text || 'b' /* short-ahead */");
            running("short-ahead");
            CompletableFuture<String> read = async(cs[2], "SELECT 'c' || 1");
            assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo("c1");
            assertThat(longer).as("the read did not wait for the long statement").isNotDone();
            assertThat(shorter.get(20, TimeUnit.SECONDS)).isEqualTo("b");
            assertThat(longer.get(20, TimeUnit.SECONDS)).isEqualTo("a");
        } finally {
            close(java.util.Arrays.stream(cs).filter(java.util.Objects::nonNull).toArray(Connection[]::new));
        }
    }

    @Test
    void tx_pipeline_depthOneOnReloadTurnsItOff() throws Exception {
        Connection[] cs = clients(2);
        try {
            reloadDepth(1);
            long before = pipelined(one);
            CompletableFuture<String> a = async(cs[0], "SELECT pg_sleep(3)::text || 'a' /* ahead-reload */");
            running("ahead-reload");
            CompletableFuture<String> b = async(cs[1], "SELECT 'b' || 1");
            assertThat(a.get(20, TimeUnit.SECONDS)).isEqualTo("a");
            assertThat(b.get(20, TimeUnit.SECONDS)).isEqualTo("b1");
            assertThat(pipelined(one)).as("waited for the connection instead").isEqualTo(before);
        } finally {
            reloadDepth(4);
            close(cs);
        }
    }

    private static void reloadDepth(int depth) throws Exception {
        Path file = dirOne.resolve("pgpool.conf");
        String text = Files.readString(file).replaceAll("(?m)^tx_pipeline_depth = .*\n", "") + "tx_pipeline_depth = " + depth + "\n";
        Files.writeString(file, text);
        ConfigReload.publish(one.vertx, PoolConfig.parse(text, file.toString()));
        // applied on the proxy's event loop after pool_hba.conf and pool_passwd are read again
        Thread.sleep(700);
    }

    private static void close(Connection[] cs) throws SQLException {
        for (Connection c : cs) {
            if (!c.isClosed()) {
                c.close();
            }
        }
    }
}
