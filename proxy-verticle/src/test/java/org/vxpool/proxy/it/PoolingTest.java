package org.vxpool.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.core.BaseConnection;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.Waits;

/** Pooling, limits, timeouts and backend failures, through vxpool to a real primary. */
class PoolingTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder()
            .user("trusty", null, PasswordEncryption.NONE, true)
            .user("flip", null, PasswordEncryption.NONE, false));

    static Connection trusty(ProxyFixture f, String params) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "trusty");
        return DriverManager.getConnection(f.jdbcUrl("postgres") + params, p);
    }

    static String value(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Pool counts of (node 0, trusty, postgres) from PROXY_STATS. */
    static JsonObject trustyPool(ProxyFixture f) {
        JsonArray pools = f.stats().getJsonArray("pools");
        for (int i = 0; i < pools.size(); i++) {
            JsonObject p = pools.getJsonObject(i);
            if (p.getString("user").equals("trusty")) {
                return p;
            }
        }
        return new JsonObject();
    }

    @Test
    void reusedConnectionLooksFresh() throws Exception {
        try (ProxyFixture f = ProxyFixture.start(PG.cluster(), s -> s, 1)) {
            String pid;
            try (Connection c = trusty(f, "?ApplicationName=first&options=-c%20search_path%3Dpg_catalog")) {
                pid = value(c, "SELECT pg_backend_pid()");
                assertThat(value(c, "SHOW search_path")).isEqualTo("pg_catalog");
                try (Statement st = c.createStatement()) {
                    st.execute("SET work_mem = '7MB'; CREATE TEMP TABLE leftover(x int); PREPARE p1 AS SELECT 1");
                }
            }
            Waits.until(Duration.ofSeconds(10), "connection back in the pool",
                    () -> trustyPool(f).getInteger("idle", 0) == 1);
            try (Connection c = trusty(f, "?ApplicationName=first&options=-c%20search_path%3Dpg_catalog")) {
                assertThat(value(c, "SELECT pg_backend_pid()")).as("pooled connection reused").isEqualTo(pid);
                assertThat(value(c, "SELECT current_setting('application_name')")).isEqualTo("first");
                assertThat(value(c, "SHOW search_path")).isEqualTo("pg_catalog");
                assertThat(value(c, "SHOW work_mem")).isEqualTo("4MB");
                assertThat(value(c, "SELECT count(*) FROM pg_prepared_statements")).isEqualTo("0");
                assertThat(value(c, "SELECT count(*) FROM pg_class WHERE relname = 'leftover'")).isEqualTo("0");
            }
            Waits.until(Duration.ofSeconds(10), "connection back in the pool",
                    () -> trustyPool(f).getInteger("idle", 0) == 1);
            // other start-up values: not that connection, whose SET values a RESET ALL would undo
            // (assumeMinServerVersion: JDBC then sends application_name in the start-up packet, not in a SET)
            try (Connection c = trusty(f, "?ApplicationName=second&assumeMinServerVersion=10&options=-c%20search_path%3Dpublic")) {
                assertThat(value(c, "SELECT pg_backend_pid()")).isNotEqualTo(pid);
                try (Statement st = c.createStatement()) {
                    st.execute("SET application_name = 'changed'; SET search_path = pg_catalog; RESET ALL");
                }
                // as on a direct connection: RESET goes back to the client's start-up values
                assertThat(value(c, "SELECT current_setting('application_name')")).isEqualTo("second");
                assertThat(c.unwrap(BaseConnection.class).getParameterStatus("application_name")).isEqualTo("second");
                assertThat(value(c, "SHOW search_path")).isEqualTo("public");
            }
            Waits.until(Duration.ofSeconds(10), "both connections back in the pool",
                    () -> trustyPool(f).getInteger("idle", 0) == 2);
            // a bad value fails like a bad start-up parameter: FATAL, and the pooled connections survive
            assertThatThrownBy(() -> trusty(f, "?ApplicationName=x&options=-c%20search_path%3Dpublic%20-c%20work_mem%3Dlots").close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("work_mem");
            Waits.until(Duration.ofSeconds(10), "connections back in the pool",
                    () -> trustyPool(f).getInteger("idle", 0) == 2);
            // a client that does not set search_path cannot take a connection started with one
            try (Connection c = trusty(f, "?ApplicationName=third")) {
                assertThat(value(c, "SELECT pg_backend_pid()")).isNotEqualTo(pid);
                assertThat(value(c, "SHOW search_path")).isEqualTo("\"$user\", public");
            }
        }
    }

    @Test
    void clientDyingMidTransactionLeavesACleanConnection() throws Exception {
        try (ProxyFixture f = ProxyFixture.start(PG.cluster(), s -> s, 1)) {
            String pid;
            try (Statement st = trusty(f, "").createStatement()) {
                st.execute("DROP TABLE IF EXISTS mid_t; CREATE TABLE mid_t(x int)");
                pid = value(st.getConnection(), "SELECT pg_backend_pid()");
                st.getConnection().setAutoCommit(false);
                st.execute("INSERT INTO mid_t VALUES (1)");
                // kill the socket without Terminate: abort() closes it hard
                st.getConnection().abort(Runnable::run);
            }
            Waits.until(Duration.ofSeconds(10), "connection reset and pooled",
                    () -> trustyPool(f).getInteger("idle", 0) == 1);
            try (Connection c = trusty(f, "")) {
                assertThat(value(c, "SELECT count(*) FROM mid_t")).isEqualTo("0");
                assertThat(value(c, "SELECT pg_backend_pid()")).as("the reset connection was reused").isEqualTo(pid);
                assertThat(c.unwrap(BaseConnection.class).getTransactionState().name()).isEqualTo("IDLE");
            }
        }
    }

    @Test
    void tooManyClientsGet53300() throws Exception {
        try (ProxyFixture f = ProxyFixture.start(PG.cluster(), s -> s.withNumInitChildren(2), 2)) {
            List<Connection> held = new ArrayList<>();
            held.add(trusty(f, ""));
            held.add(trusty(f, ""));
            assertThatThrownBy(() -> trusty(f, "").close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("sorry, too many clients already")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("53300");
            assertThat(value(held.get(0), "SELECT 1")).isEqualTo("1");
            held.remove(0).close();
            Waits.until(Duration.ofSeconds(10), "slot released", () -> f.stats().getInteger("clients") == 1);
            try (Connection c = trusty(f, "")) {
                assertThat(value(c, "SELECT 2")).isEqualTo("2");
            }
            for (Connection c : held) {
                c.close();
            }
        }
    }

    @Test
    void terminatedBackendGivesFatalAndReport() throws Exception {
        try (ProxyFixture f = ProxyFixture.start(PG.cluster(), s -> s, 1);
             Connection victim = trusty(f, "")) {
            String pid = value(victim, "SELECT pg_backend_pid()");
            PG.cluster().primary().queryValue("SELECT pg_terminate_backend(" + pid + ")");
            assertThatThrownBy(() -> value(victim, "SELECT 1"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("57P01", "08006"));
            Waits.until(Duration.ofSeconds(10), "backend error reported", () -> !f.backendErrors.isEmpty());
            JsonObject report = f.backendErrors.get(0);
            assertThat(report.getInteger("node")).isEqualTo(0);
            assertThat(report.getString("sqlstate")).isEqualTo("57P01");
            assertThat(report.getString("reason")).contains("terminating connection due to administrator command");
            try (Connection c = trusty(f, "")) {
                assertThat(value(c, "SELECT 3")).isEqualTo("3");
            }
        }
    }

    @Test
    void idleClientsAreDisconnectedAfterClientIdleLimit() throws Exception {
        try (ProxyFixture f = ProxyFixture.start(PG.cluster(), s -> s.withTimeouts(0, 1, 60), 1);
             Connection c = trusty(f, "")) {
            assertThat(value(c, "SELECT 1")).isEqualTo("1");
            // c is this proxy's only client: the count says when the limit closed it, without touching
            // c, which would reset its idle time; within the 2.6 s that were slept here before.
            Waits.until(Duration.ofMillis(2600), "the idle client closed", () -> f.stats().getInteger("clients") == 0);
            assertThatThrownBy(() -> value(c, "SELECT 1")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(e.getMessage().contains("client_idle_limit")
                            || ((SQLException) e).getSQLState().startsWith("08")).isTrue());
            assertThat(c.isValid(1)).isFalse();
        }
    }

    @Test
    void pooledConnectionsExpireAfterConnectionLifeTime() throws Exception {
        try (ProxyFixture f = ProxyFixture.start(PG.cluster(), s -> s.withTimeouts(1, 0, 60), 1)) {
            try (Connection c = trusty(f, "")) {
                value(c, "SELECT 1");
            }
            Waits.until(Duration.ofSeconds(10), "connection pooled then expired",
                    () -> trustyPool(f).getInteger("created", 0) == 1 && trustyPool(f).getInteger("idle", 0) == 0
                            && trustyPool(f).getInteger("active", 0) == 0 && trustyPool(f).getInteger("resetting", 0) == 0);
        }
    }

    /** {@code POST /pool/stop} undeploys the proxy while pooled connections are idle: they end too. */
    @Test
    void undeployClosesPooledConnections() throws Exception {
        try (ProxyFixture f = ProxyFixture.start(PG.cluster(), s -> s, 2)) {
            List<Connection> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Connection c = trusty(f, "?ApplicationName=undeploy");
                    value(c, "SELECT 1");
                    clients.add(c);
                }
            } finally {
                for (Connection c : clients) {
                    c.close();
                }
            }
            Waits.until(Duration.ofSeconds(10), "connections back in the pools",
                    () -> trustyPool(f).getInteger("idle", 0) == 4);
            for (String id : List.copyOf(f.vertx.deploymentIDs())) {
                f.vertx.undeploy(id).await(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            Waits.until(Duration.ofSeconds(10), "pooled backends ended", () -> PG.cluster().primary()
                    .queryValue("SELECT count(*) FROM pg_stat_activity WHERE usename = 'trusty'").equals("0"));
        }
    }

    @Test
    void sessionsOnANodeMarkedDownGetFatal() throws Exception {
        var view = ProxyFixture.view(PG.cluster());
        try (ProxyFixture f = ProxyFixture.start(view, s -> s, 1); Connection c = trusty(f, "")) {
            assertThat(value(c, "SELECT 1")).isEqualTo("1");
            f.publish(view.with(view.node(0).withStatus(org.vxpool.common.model.NodeStatus.DOWN, 0), 2));
            Waits.until(Duration.ofSeconds(10), "session closed", () -> !isValid(c));
            assertThatThrownBy(() -> trusty(f, "").close())
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("57P03");
            // an older view is ignored
            f.publish(view);
            Thread.sleep(300);
            assertThatThrownBy(() -> trusty(f, "").close())
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("57P03");
        }
    }

    private static boolean isValid(Connection c) {
        try {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Test
    void slowReaderPausesTheBackendInsteadOfBuffering() throws Exception {
        try (ProxyFixture f = ProxyFixture.start(PG.cluster(), s -> s, 1); RawClient c = new RawClient(f.port)) {
            c.startup("trusty");
            c.readUntil(org.vxpool.proxy.protocol.PgProtocol.Backend.READY_FOR_QUERY);
            c.send(new org.vxpool.proxy.protocol.Query(
                    "COPY (SELECT repeat('x', 1000) FROM generate_series(1, 300000)) TO STDOUT /* vx-slow */").encode());
            // while the client reads nothing, the backend must end up blocked writing to vxpool
            Waits.until(Duration.ofSeconds(20), "backend blocked on ClientWrite", () -> "ClientWrite".equals(
                    PG.cluster().primary().queryValue("SELECT coalesce(max(wait_event), '') FROM pg_stat_activity"
                            + " WHERE query LIKE '%vx-slow%' AND pid <> pg_backend_pid()")));
            // unbuffered, 300 MB would have drained into vxpool's heap in a few seconds and the query ended
            Thread.sleep(5000);
            assertThat(PG.cluster().primary().queryValue("SELECT state || '/' || coalesce(wait_event, '') FROM pg_stat_activity"
                    + " WHERE query LIKE '%vx-slow%' AND pid <> pg_backend_pid()")).isEqualTo("active/ClientWrite");
            long bytes = 0;
            while (true) {
                io.vertx.core.buffer.Buffer m = c.readMessage();
                bytes += m.length();
                if (m.getByte(0) == 'Z') {
                    break;
                }
            }
            assertThat(bytes).isGreaterThan(300_000L * 1000);
        }
    }

    @Test
    void userNoLongerTrustedFallsBackToRelayedAuthentication() throws Exception {
        var primary = PG.cluster().primary();
        java.nio.file.Path hba = primary.dataDir().resolve("pg_hba.conf");
        String original = java.nio.file.Files.readString(hba);
        try (ProxyFixture f = ProxyFixture.start(PG.cluster(), s -> s.withMaxPool(0), 1)) {
            Properties p = new Properties();
            p.setProperty("user", "flip");
            try (Connection c = DriverManager.getConnection(f.jdbcUrl("postgres"), p)) {
                assertThat(value(c, "SELECT current_user")).isEqualTo("flip");
            }
            primary.execute("ALTER ROLE flip PASSWORD 'flip-pw'");
            java.nio.file.Files.writeString(hba, "host all flip 127.0.0.1/32 scram-sha-256\n" + original);
            primary.queryValue("SELECT pg_reload_conf()");
            p.setProperty("password", "flip-pw");
            Waits.until(Duration.ofSeconds(10), "password required now", () -> {
                try (Connection c = DriverManager.getConnection(f.jdbcUrl("postgres"), "flip", "wrong")) {
                    return false;
                } catch (SQLException e) {
                    return "28P01".equals(e.getSQLState());
                }
            });
            try (Connection c = DriverManager.getConnection(f.jdbcUrl("postgres"), p)) {
                assertThat(value(c, "SELECT current_user")).isEqualTo("flip");
            }
        } finally {
            java.nio.file.Files.writeString(hba, original);
            primary.queryValue("SELECT pg_reload_conf()");
        }
    }

    @Test
    void connectionStormOverTheLimitLeaksNothing() throws Exception {
        java.nio.file.Path script = java.nio.file.Files.createTempFile("vxstorm", ".sql");
        java.nio.file.Files.writeString(script, "SELECT 1;\n");
        try (ProxyFixture f = ProxyFixture.start(PG.cluster(), s -> s.withNumInitChildren(6), 2)) {
            var r = PG.cluster().primary().pgbench("-h", "127.0.0.1", "-p", String.valueOf(f.port), "-U", "trusty",
                    "-n", "-C", "-c", "12", "-j", "2", "-T", "3", "-f", script.toString());
            assertThat(r.output()).as("some clients were refused").contains("too many clients");
            Waits.until(Duration.ofSeconds(15), "every slot and session released", () -> {
                JsonObject st = f.stats();
                JsonObject sessions = st.getJsonObject("sessions");
                JsonObject pool = trustyPool(f);
                return st.getInteger("clients") == 0
                        && sessions.fieldNames().stream().allMatch(k -> sessions.getInteger(k) == 0)
                        && pool.getInteger("active", 0) == 0 && pool.getInteger("resetting", 0) == 0
                        && pool.getInteger("connecting", 0) == 0 && pool.getInteger("authenticating", 0) == 0
                        && pool.getInteger("idle", 0) <= 2 * f.settings.maxPool();
            }, () -> f.stats().encodePrettily());
            try (Connection c = trusty(f, "")) {
                assertThat(value(c, "SELECT 'after the storm'")).isEqualTo("after the storm");
            }
        }
    }

    @Test
    void unreachablePrimaryIsReportedAndRefused() throws Exception {
        int closedPort = ProxyFixture.freePort();
        try (ProxyFixture f = ProxyFixture.start(ProxyFixture.view(1, "127.0.0.1", closedPort), s -> s, 1)) {
            assertThatThrownBy(() -> trusty(f, "").close())
                    .hasMessageContaining("could not connect to backend node 0")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08006");
            Waits.until(Duration.ofSeconds(10), "failure reported", () -> !f.backendErrors.isEmpty());
            assertThat(f.backendErrors.get(0).getInteger("node")).isEqualTo(0);
            assertThat(f.backendErrors.get(0).getString("reason")).contains(":" + closedPort);
            assertThat(f.stats().getInteger("clients")).isZero();
        }
    }

    @Test
    void pooledIdleConnectionKilledByTheServerIsReported() throws Exception {
        try (ProxyFixture f = ProxyFixture.start(PG.cluster(), s -> s, 1)) {
            String pid;
            try (Connection c = trusty(f, "")) {
                pid = value(c, "SELECT pg_backend_pid()");
            }
            Waits.until(Duration.ofSeconds(10), "pooled", () -> trustyPool(f).getInteger("idle", 0) == 1);
            PG.cluster().primary().queryValue("SELECT pg_terminate_backend(" + pid + ")");
            Waits.until(Duration.ofSeconds(10), "reported", () -> !f.backendErrors.isEmpty());
            assertThat(f.backendErrors.get(0).getString("sqlstate")).isEqualTo("57P01");
            assertThat(trustyPool(f).getInteger("idle")).isZero();
            try (Connection c = trusty(f, "")) {
                assertThat(value(c, "SELECT pg_backend_pid()")).isNotEqualTo(pid);
            }
        }
    }
}
