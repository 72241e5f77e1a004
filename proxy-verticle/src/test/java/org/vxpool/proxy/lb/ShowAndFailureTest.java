package org.vxpool.proxy.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vxpool.proxy.lb.LbFixture.connect;
import static org.vxpool.proxy.lb.LbFixture.port;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.common.Addresses;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.routing.RoutingSettings;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.PgNode;

/** SHOW pool_nodes column by column (JDBC extended protocol and psql), lag thresholds, and a standby that dies. */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
class ShowAndFailureTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(2)
            .user(LbFixture.USER, null, PasswordEncryption.NONE, true));

    static ProxyFixture proxy;
    static ClusterView view;

    @BeforeAll
    static void start() {
        view = LbFixture.view(PG.cluster(), 0, 1, 3);
        proxy = LbFixture.start(view, new RoutingSettings(true, false,
                org.vxpool.common.config.DisableLoadBalanceOnWrite.TRANSACTION, false, false, true, 1_000_000, 0, false,
                List.of(), List.of(), List.of(), List.of(), List.of()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void showPoolNodesOverJdbcAndPsql() throws Exception {
        PgCluster c = PG.cluster();
        try (Connection conn = connect(proxy, ""); Statement st = conn.createStatement()) {
            int lb = port(st, "select inet_server_port()");
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SHOW pool_nodes")) {
                ResultSetMetaData md = rs.getMetaData();
                List<String> cols = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    cols.add(md.getColumnName(i));
                }
                assertThat(cols).containsExactly("node_id", "hostname", "port", "status", "pg_status", "lb_weight", "role",
                        "pg_role", "select_cnt", "load_balance_node", "replication_delay", "replication_state",
                        "replication_sync_state", "last_status_change");
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= 14; i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
            }
            assertThat(rows).hasSize(3);
            for (PgNode n : c.nodes()) {
                List<String> r = rows.get(n.id());
                boolean primary = n == c.primary();
                assertThat(r.subList(0, 8)).containsExactly(String.valueOf(n.id()), "127.0.0.1", String.valueOf(n.port()), "up", "up",
                        new String[] {"0.000000", "0.250000", "0.750000"}[n.id()],
                        primary ? "primary" : "standby", primary ? "primary" : "standby");
                assertThat(Long.parseLong(r.get(8))).isGreaterThanOrEqualTo(n.port() == lb ? 1 : 0);
                assertThat(r.get(9)).isEqualTo(String.valueOf(n.port() == lb));
                assertThat(r.get(10)).isEqualTo("0");
                assertThat(r.get(13)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
            }
        }
        String psql = c.primary().psqlCommand("-A", "-F", "|", "-h", "127.0.0.1", "-p", String.valueOf(proxy.port),
                "-U", LbFixture.USER, "-d", "postgres", "-c", "show pool_nodes", "-c", "show pool_version").requireOk().stdout();
        String[] lines = psql.split("\n");
        assertThat(lines[0]).isEqualTo("node_id|hostname|port|status|pg_status|lb_weight|role|pg_role|select_cnt|load_balance_node"
                + "|replication_delay|replication_state|replication_sync_state|last_status_change");
        assertThat(lines[1]).startsWith("0|127.0.0.1|" + c.primary().port() + "|up|up|0.000000|primary|primary|");
        assertThat(psql).contains("(3 rows)").contains("pool_version");
    }

    @Test
    void otherShowCommandsAnswer() throws Exception {
        try (Connection conn = connect(proxy, ""); Statement st = conn.createStatement()) {
            for (String cmd : List.of("pool_status", "pool_version", "pool_processes", "pool_pools", "pool_backend_stats")) {
                try (ResultSet rs = st.executeQuery("show " + cmd)) {
                    assertThat(rs.next()).as(cmd).isTrue();
                }
            }
            // no watchdog in this fixture: the health table is empty, not an error
            try (ResultSet rs = st.executeQuery("show pool_health_check_stats")) {
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void delayThresholdKeepsReadsOffALaggingStandby() throws Exception {
        PgCluster c = PG.cluster();
        try (Connection conn = connect(proxy, ""); Statement st = conn.createStatement()) {
            int lb = port(st, "select inet_server_port()");
            int lbNode = c.nodes().stream().filter(n -> n.port() == lb).findFirst().orElseThrow().id();
            proxy.vertx.eventBus().publish(Addresses.REPLICATION_LAG, new JsonObject()
                    .put(String.valueOf(lbNode), new JsonObject().put("delayBytes", 5_000_000L).put("delayMs", 0L)
                            .put("state", "streaming").put("syncState", "async")));
            awaitPort(st, c.primary().port());
            proxy.vertx.eventBus().publish(Addresses.REPLICATION_LAG, new JsonObject());
            awaitPort(st, lb);
        }
    }

    private static void awaitPort(Statement st, int expected) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        int got;
        do {
            got = port(st, "select inet_server_port()");
        } while (got != expected && System.nanoTime() < deadline);
        assertThat(got).isEqualTo(expected);
    }

    /** Runs last in its own cluster state: it kills a standby. */
    @Test
    void zStandbyKilledReadOnlyClientsSeeNoError() throws Exception {
        PgCluster c = PG.cluster();
        List<Connection> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                clients.add(connect(proxy, ""));
            }
            List<Integer> first = new ArrayList<>();
            for (Connection conn : clients) {
                try (Statement st = conn.createStatement()) {
                    first.add(port(st, "select inet_server_port()"));
                }
            }
            PgNode victim = c.standbys().get(1);
            assertThat(first).contains(victim.port());
            victim.kill();
            List<BackendNode> nodes = new ArrayList<>(view.nodes());
            nodes.set(victim.id(), nodes.get(victim.id()).withStatus(NodeStatus.DOWN, System.currentTimeMillis()));
            proxy.publish(new ClusterView(2, nodes));
            Thread.sleep(300);
            for (Connection conn : clients) {
                try (Statement st = conn.createStatement()) {
                    for (int i = 0; i < 5; i++) {
                        assertThat(port(st, "select inet_server_port()")).isNotEqualTo(victim.port());
                    }
                }
            }
        } finally {
            for (Connection conn : clients) {
                conn.close();
            }
        }
    }
}
