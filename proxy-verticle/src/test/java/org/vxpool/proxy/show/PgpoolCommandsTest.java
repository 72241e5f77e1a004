package org.vxpool.proxy.show;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.slf4j.LoggerFactory;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.ProxySettings;
import org.vxpool.proxy.ProxyVerticle;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgNode;
import org.vxpool.testkit.ProcessResult;

/**
 * PGPOOL SHOW / SET / RESET and SHOW pool_status against a real primary and two standbys, with
 * psql (simple protocol, exact output) and JDBC (extended protocol), through a vxpool in session
 * mode and one in transaction mode built from the same pgpool.conf. The primary has weight 0, so
 * a balanced read runs on a standby and a read kept off balancing runs on the primary.
 */
class PgpoolCommandsTest {
    static PgCluster pg;
    static ProxyFixture session;
    static ProxyFixture transaction;
    /** The primary alone: no balancing, the session-mode plain relay. */
    static ProxyFixture single;
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pg = PgCluster.builder().standbys(2).start();
        dir = Files.createTempDirectory("pgshow");
        Files.write(dir.resolve("pool_hba.conf"), List.of("host all all 127.0.0.1/32 scram-sha-256"));
        Files.write(dir.resolve("pool_passwd"), List.of(pg.user() + ":TEXT" + pg.password()));
        session = proxy("session", 3);
        transaction = proxy("transaction", 3);
        single = proxy("session", 1);
        pg.primary().execute("CREATE TABLE pgshow_w(x int)");
        pg.standbys().forEach(PgNode::waitForReplay);
    }

    private static ProxyFixture proxy(String mode, int nodes) throws Exception {
        StringBuilder conf = new StringBuilder();
        double[] weights = {0, 1, 1};
        List<PgNode> backends = pg.nodes().subList(0, nodes);
        for (PgNode n : backends) {
            conf.append("backend_hostname").append(n.id()).append(" = '127.0.0.1'\n")
                    .append("backend_port").append(n.id()).append(" = ").append(n.port()).append('\n')
                    .append("backend_weight").append(n.id()).append(" = ").append((int) weights[n.id()]).append('\n');
        }
        conf.append("""
                backend_data_directory1 = '/data/node1'
                backend_flag2 = 'DISALLOW_TO_FAILOVER'
                listen_addresses = '127.0.0.1'
                enable_pool_hba = on
                pool_passwd = 'pool_passwd'
                num_init_children = 100
                sr_check_password = 'not-for-your-eyes'
                write_function_list = 'nextval,setval'
                health_check_period = 7
                health_check_user = 'checker'
                health_check_period1 = 3
                hostname0 = 'node-a'
                wd_port0 = 9000
                pgpool_port0 = 9999
                heartbeat_hostname0 = 'peer-a'
                heartbeat_port0 = 9694
                """.replace("backend_data_directory1 = '/data/node1'\nbackend_flag2 = 'DISALLOW_TO_FAILOVER'\n",
                        nodes == 3 ? "backend_data_directory1 = '/data/node1'\nbackend_flag2 = 'DISALLOW_TO_FAILOVER'\n" : ""))
                .append("pool_mode = ").append(mode).append("\nport = ").append(ProxyFixture.freePort()).append('\n');
        Path file = dir.resolve(mode + nodes + ".conf");
        Files.writeString(file, conf);
        PoolConfig config = PoolConfig.parse(Files.readString(file), file.toString());
        List<BackendNode> view = new ArrayList<>();
        for (PgNode n : backends) {
            view.add(new BackendNode(n.id(), n.host(), n.port(), weights[n.id()], NodeStatus.UP,
                    n == pg.primary() ? NodeRole.PRIMARY : NodeRole.STANDBY, 1_700_000_000_000L));
        }
        return ProxyFixture.start(new ClusterView(1, view), s -> ProxySettings.from(config), 1, s -> new ProxyVerticle(config));
    }

    @AfterAll
    static void stop() {
        for (ProxyFixture p : new ProxyFixture[] {session, transaction, single}) {
            if (p != null) {
                p.close();
            }
        }
        if (pg != null) {
            pg.close();
        }
    }

    private static ProxyFixture proxyFor(String mode) {
        return switch (mode) {
            case "session" -> session;
            case "transaction" -> transaction;
            default -> single;
        };
    }

    // ---- PGPOOL SHOW ----

    @ParameterizedTest
    @ValueSource(strings = {"session", "transaction", "single"})
    void pgpoolShowPrintsOneParameterAsPgpoolDoesInPsql(String mode) {
        ProxyFixture p = proxyFor(mode);
        String out = psql(p, "-A", "-c", "PGPOOL SHOW port", "-c", "pgpool show load_balance_mode",
                "-c", "PGPOOL SHOW write_function_list", "-c", "PGPOOL SHOW reset_query_list",
                "-c", "PGPOOL SHOW sr_check_password", "-c", "PGPOOL SHOW health_check_password",
                "-c", "PGPOOL SHOW \"delegate_IP\"", "-c", "PGPOOL SHOW health_check_period1",
                "-c", "PGPOOL SHOW backend_port0", "-c", "PGPOOL SHOW connect_timeout", "-c", "PGPOOL SHOW pool_mode")
                .requireOk().stdout();
        assertThat(out).isEqualTo(String.join("\n",
                "port", String.valueOf(p.port), "(1 row)",
                "load_balance_mode", "on", "(1 row)",
                "write_function_list", "nextval,setval", "(1 row)",
                "reset_query_list", "ABORT; DISCARD ALL", "(1 row)",
                "sr_check_password", "********", "(1 row)",
                "health_check_password", "", "(1 row)",
                "delegate_IP", "", "(1 row)",
                "health_check_period1", "3", "(1 row)",
                "backend_port0", String.valueOf(pg.node(0).port()), "(1 row)",
                "connect_timeout", "10000", "(1 row)",
                "pool_mode", mode.equals("transaction") ? "transaction" : "session", "(1 row)") + "\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"session", "transaction"})
    void groupsAllAndPoolStatusOverJdbc(String mode) throws Exception {
        try (Connection c = connect(proxyFor(mode))) {
            List<List<String>> backend = rows(c, "PGPOOL SHOW backend", List.of("item", "value", "description"));
            assertThat(backend).hasSize(18);
            assertThat(backend.subList(0, 6)).containsExactly(
                    List.of("backend_hostname0", "127.0.0.1", "host name or address of the PostgreSQL backend"),
                    List.of("backend_port0", String.valueOf(pg.node(0).port()), "port of the PostgreSQL backend"),
                    List.of("backend_weight0", "0", "load-balancing weight of the backend"),
                    List.of("backend_data_directory0", "", "data directory of the backend, for failover and online recovery"),
                    List.of("backend_flag0", "ALLOW_TO_FAILOVER",
                            "per-backend behaviour flags (ALLOW_TO_FAILOVER, DISALLOW_TO_FAILOVER, ALWAYS_PRIMARY)"),
                    List.of("backend_application_name0", "",
                            "application_name of the backend's WAL receiver, to find it in pg_stat_replication"));
            assertThat(backend.get(9).subList(0, 2)).containsExactly("backend_data_directory1", "/data/node1");
            assertThat(backend.get(16).subList(0, 2)).containsExactly("backend_flag2", "DISALLOW_TO_FAILOVER");

            List<List<String>> health = rows(c, "PGPOOL SHOW health_check", List.of("item", "value", "description"));
            assertThat(health).hasSize(24);
            assertThat(health.get(0).subList(0, 2)).containsExactly("health_check_period0", "7");
            assertThat(health.get(8).subList(0, 2)).containsExactly("health_check_period1", "3");
            assertThat(health.get(11).subList(0, 2)).containsExactly("health_check_password1", "");
            assertThat(items(rows(c, "PGPOOL SHOW watchdog", null))).containsExactly("hostname0", "wd_port0", "pgpool_port0");
            assertThat(rows(c, "PGPOOL SHOW heartbeat", null)).extracting(r -> r.get(0) + "=" + r.get(1))
                    .containsExactly("heartbeat_hostname0=peer-a", "heartbeat_port0=9694", "heartbeat_device0=");
            assertThat(rows(c, "PGPOOL SHOW backend_port", null)).extracting(r -> r.get(0) + "=" + r.get(1))
                    .containsExactly("backend_port0=" + pg.node(0).port(), "backend_port1=" + pg.node(1).port(),
                            "backend_port2=" + pg.node(2).port());

            List<List<String>> all = rows(c, "PGPOOL SHOW ALL", List.of("item", "value", "description"));
            assertThat(all).hasSize(18 + 3 + 3 + 24 + Params.all().size());
            assertThat(new HashSet<>(items(all))).hasSize(all.size());
            assertThat(all.get(0).get(0)).isEqualTo("backend_hostname0");
            assertThat(all).allSatisfy(r -> assertThat(r.get(2)).isNotBlank());
            assertThat(all).contains(
                    List.of("sr_check_password", "********", "password of sr_check_user"),
                    List.of("client_idle_limit", "0", "seconds a client may stay idle between queries before it is disconnected"),
                    List.of("pool_mode", mode, Params.POOL_MODE.description()),
                    List.of("hostname0", "node-a", "host name or address of watchdog member N"));
            assertThat(all.toString()).doesNotContain("not-for-your-eyes");

            List<List<String>> status = rows(c, "SHOW pool_status", List.of("item", "value", "description"));
            assertThat(status).hasSize(all.size() + 3);
            assertThat(status.get(6)).containsExactly("backend_status0", "up", "status of the backend: up, waiting, quarantine, down or unused");
            assertThat(status.get(13).subList(0, 2)).containsExactly("backend_status1", "up");
            List<List<String>> withoutStatus = new ArrayList<>(status);
            withoutStatus.removeIf(r -> r.get(0).startsWith("backend_status"));
            assertThat(withoutStatus).isEqualTo(all);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"session", "transaction", "single"})
    void unknownNamesAre42704AndTheSessionGoesOn(String mode) throws Exception {
        ProxyFixture p = proxyFor(mode);
        try (Connection c = connect(p); Statement st = c.createStatement()) {
            assertSqlState(st, "PGPOOL SHOW no_such_param", "42704", "unrecognized configuration parameter \"no_such_param\"");
            assertSqlState(st, "PGPOOL SHOW memory_cache_enabled", "42704", "unrecognized configuration parameter \"memory_cache_enabled\"");
            assertSqlState(st, "PGPOOL SET no_such_param = 1", "42704", "unrecognized configuration parameter \"no_such_param\"");
            assertSqlState(st, "PGPOOL SHOW", "42601", "syntax error at end of input");
            assertThat(value(c, "select 41 + 1")).isEqualTo("42");
        }
        ProcessResult r = psql(p, "-A", "-c", "PGPOOL SHOW no_such_param");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("ERROR:  unrecognized configuration parameter \"no_such_param\"");
    }

    // ---- PGPOOL SET / RESET ----

    @ParameterizedTest
    @ValueSource(strings = {"session", "transaction", "single"})
    void setAndResetAnswerTheirTagsAndShowTheSessionValueInPsql(String mode) {
        String out = psql(proxyFor(mode), "-A", "-c", "PGPOOL SET client_idle_limit = 5",
                "-c", "PGPOOL SHOW client_idle_limit", "-c", "PGPOOL SET client_idle_limit TO '2min'",
                "-c", "PGPOOL SHOW client_idle_limit", "-c", "PGPOOL SET client_idle_limit TO DEFAULT",
                "-c", "PGPOOL SHOW client_idle_limit", "-c", "PGPOOL SET log_statement = on",
                "-c", "PGPOOL RESET log_statement", "-c", "PGPOOL SET disable_load_balance_on_write = 'always'",
                "-c", "PGPOOL SHOW disable_load_balance_on_write", "-c", "PGPOOL RESET ALL",
                "-c", "PGPOOL SHOW disable_load_balance_on_write").requireOk().stdout();
        assertThat(out).isEqualTo(String.join("\n",
                "SET", "client_idle_limit", "5", "(1 row)",
                "SET", "client_idle_limit", "120", "(1 row)",
                "SET", "client_idle_limit", "0", "(1 row)",
                "SET", "RESET",
                "SET", "disable_load_balance_on_write", "always", "(1 row)",
                "RESET", "disable_load_balance_on_write", "transaction", "(1 row)") + "\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"session", "transaction", "single"})
    void refusedParametersAndBadValues(String mode) throws Exception {
        try (Connection c = connect(proxyFor(mode)); Statement st = c.createStatement()) {
            assertSqlState(st, "PGPOOL SET port = 1", "55P02", "parameter \"port\" cannot be changed with PGPOOL SET");
            assertSqlState(st, "PGPOOL SET backend_weight0 = 1", "55P02", "parameter \"backend_weight0\" cannot be changed with PGPOOL SET");
            assertSqlState(st, "PGPOOL RESET num_init_children", "55P02", "parameter \"num_init_children\" cannot be changed with PGPOOL SET");
            assertSqlState(st, "PGPOOL SET client_idle_limit = 'abc'", "22023", "invalid value for parameter \"client_idle_limit\": \"abc\"");
            assertSqlState(st, "PGPOOL SET client_idle_limit = -1", "22023", "invalid value for parameter \"client_idle_limit\": \"-1\"");
            assertSqlState(st, "PGPOOL SET disable_load_balance_on_write = 'sometimes'", "22023",
                    "invalid value for parameter \"disable_load_balance_on_write\": \"sometimes\"");
            assertSqlState(st, "PGPOOL SET log_statement = maybe", "22023", "invalid value for parameter \"log_statement\": \"maybe\"");
            // nothing was changed by the failures
            assertThat(value(c, "PGPOOL SHOW client_idle_limit")).isEqualTo("0");
            assertThat(value(c, "PGPOOL SHOW disable_load_balance_on_write")).isEqualTo("transaction");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"session", "transaction", "single"})
    void clientIdleLimitClosesOnlyTheSessionThatSetIt(String mode) throws Exception {
        ProxyFixture p = proxyFor(mode);
        try (Connection a = connect(p); Connection b = connect(p); Connection reset = connect(p)) {
            execute(a, "PGPOOL SET client_idle_limit = 1");
            execute(reset, "PGPOOL SET client_idle_limit = 1");
            execute(reset, "PGPOOL RESET client_idle_limit");
            assertThat(value(a, "PGPOOL SHOW client_idle_limit")).isEqualTo("1");
            assertThat(value(b, "PGPOOL SHOW client_idle_limit")).isEqualTo("0");
            assertThat(value(reset, "PGPOOL SHOW client_idle_limit")).isEqualTo("0");
            Thread.sleep(3500);
            assertThatThrownBy(() -> value(a, "select 1")).isInstanceOf(SQLException.class);
            assertThat(a.isClosed() || !a.isValid(1)).isTrue();
            assertThat(value(b, "select 1")).isEqualTo("1");
            assertThat(value(reset, "select 1")).isEqualTo("1");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"session", "transaction"})
    void allowSqlCommentsAndIgnoreLeadingWhiteSpaceChangeOneSessionsRouting(String mode) throws Exception {
        ProxyFixture p = proxyFor(mode);
        int primary = pg.primary().port();
        try (Connection a = connect(p); Connection b = connect(p)) {
            String commented = "/* app */ select inet_server_port()";
            assertThat(port(a, commented)).isEqualTo(primary);
            execute(a, "PGPOOL SET allow_sql_comments = on");
            assertThat(standbyPorts()).contains(port(a, commented));
            assertThat(port(b, commented)).isEqualTo(primary);
            execute(a, "PGPOOL RESET allow_sql_comments");
            assertThat(port(a, commented)).isEqualTo(primary);

            String spaced = "   select inet_server_port()";
            assertThat(standbyPorts()).contains(port(a, spaced));
            execute(a, "PGPOOL SET ignore_leading_white_space TO off");
            assertThat(port(a, spaced)).isEqualTo(primary);
            assertThat(standbyPorts()).contains(port(b, spaced));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"session", "transaction"})
    void statementLevelLoadBalanceSpreadsOnlyThatSessionsReads(String mode) throws Exception {
        ProxyFixture p = proxyFor(mode);
        try (Connection a = connect(p); Connection b = connect(p)) {
            assertThat(ports(a, 30)).hasSize(1);
            execute(a, "PGPOOL SET statement_level_load_balance = on");
            assertThat(ports(a, 60)).isEqualTo(standbyPorts());
            assertThat(ports(b, 60)).hasSize(1);
            execute(a, "PGPOOL SET statement_level_load_balance TO DEFAULT");
            assertThat(ports(a, 30)).hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"session", "transaction"})
    void disableLoadBalanceOnWriteAlwaysKeepsThatSessionOnThePrimary(String mode) throws Exception {
        ProxyFixture p = proxyFor(mode);
        int primary = pg.primary().port();
        try (Connection a = connect(p); Connection b = connect(p)) {
            execute(a, "PGPOOL SET disable_load_balance_on_write = always");
            execute(a, "insert into pgshow_w values (1)");
            execute(b, "insert into pgshow_w values (1)");
            assertThat(port(a, "select inet_server_port()")).isEqualTo(primary);
            assertThat(standbyPorts()).contains(port(b, "select inet_server_port()"));
            execute(a, "PGPOOL RESET disable_load_balance_on_write");
            assertThat(standbyPorts()).contains(port(a, "select inet_server_port()"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"session", "transaction", "single"})
    void logStatementLogsOnlyTheSessionThatTurnedItOn(String mode) throws Exception {
        Logger sessions = (Logger) LoggerFactory.getLogger("org.vxpool.proxy.session");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        sessions.addAppender(lines);
        try (Connection a = connect(proxyFor(mode)); Connection b = connect(proxyFor(mode))) {
            execute(a, "PGPOOL SET log_statement = on");
            assertThat(value(a, "PGPOOL SHOW log_statement")).isEqualTo("on");
            assertThat(value(b, "PGPOOL SHOW log_statement")).isEqualTo("off");
            value(a, "select 'pgshow-a1-" + mode + "'");
            value(b, "select 'pgshow-b1-" + mode + "'");
            execute(a, "PGPOOL SET log_per_node_statement = on");
            value(a, "select 'pgshow-a2-" + mode + "'");
            execute(a, "PGPOOL RESET ALL");
            value(a, "select 'pgshow-a3-" + mode + "'");
        } finally {
            sessions.detachAppender(lines);
        }
        List<String> logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("pgshow-")).toList();
        assertThat(logged).hasSize(3);
        assertThat(logged.get(0)).isEqualTo("statement: select 'pgshow-a1-" + mode + "'");
        assertThat(logged.get(1)).isEqualTo("statement: select 'pgshow-a2-" + mode + "'");
        // balanced reads run on a standby; the single-node proxy has only the primary, node 0
        assertThat(logged.get(2)).matches("DB node id: " + (mode.equals("single") ? "0" : "[12]")
                + " statement: select 'pgshow-a2-" + mode + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"session", "transaction", "single"})
    void pgpoolCommandsInsideATransactionKeepIt(String mode) throws Exception {
        int marker = switch (mode) {
            case "session" -> 4201;
            case "transaction" -> 4202;
            default -> 4203;
        };
        try (Connection c = connect(proxyFor(mode))) {
            c.setAutoCommit(false);
            execute(c, "insert into pgshow_w values (" + marker + ")");
            execute(c, "PGPOOL SET client_idle_limit = 30");
            assertThat(c.unwrap(BaseConnection.class).getTransactionState()).isEqualTo(TransactionState.OPEN);
            assertThat(value(c, "PGPOOL SHOW client_idle_limit")).isEqualTo("30");
            assertThat(value(c, "SHOW pool_version")).isEqualTo("4.3.0 (vxpool)");
            assertThat(c.unwrap(BaseConnection.class).getTransactionState()).isEqualTo(TransactionState.OPEN);
            // a refused PGPOOL command is vxpool's answer alone: the backend's transaction is not aborted
            try (Statement st = c.createStatement()) {
                assertSqlState(st, "PGPOOL SET port = 1", "55P02", "parameter \"port\" cannot be changed with PGPOOL SET");
            }
            assertThat(c.unwrap(BaseConnection.class).getTransactionState()).isEqualTo(TransactionState.OPEN);
            assertThat(value(c, "select count(*) from pgshow_w where x = " + marker)).isEqualTo("1");
            c.commit();
            assertThat(c.unwrap(BaseConnection.class).getTransactionState()).isEqualTo(TransactionState.IDLE);
            assertThat(value(c, "PGPOOL SHOW client_idle_limit")).isEqualTo("30");
        }
        assertThat(pg.primary().queryValue("select count(*) from pgshow_w where x = " + marker)).isEqualTo("1");
        // psql in a transaction block: the prompt's status comes from ReadyForQuery
        String out = psql(proxyFor(mode), "-A", "-t", "-c", "BEGIN", "-c", "PGPOOL SET allow_sql_comments = on",
                "-c", "select 1", "-c", "COMMIT").requireOk().stdout();
        assertThat(out).isEqualTo("BEGIN\nSET\n1\nCOMMIT\n");
    }

    @Test
    void describeWithoutExecuteChangesNothing() throws Exception {
        try (Connection c = connect(session)) {
            // prepareStatement + getMetaData: Parse, Describe, Sync, no Execute
            try (var ps = c.prepareStatement("PGPOOL SET client_idle_limit = 9")) {
                assertThat(ps.getMetaData()).isNull();
            }
            assertThat(value(c, "PGPOOL SHOW client_idle_limit")).isEqualTo("0");
            try (var ps = c.prepareStatement("PGPOOL SHOW client_idle_limit")) {
                assertThat(ps.getMetaData().getColumnName(1)).isEqualTo("client_idle_limit");
            }
        }
    }

    // ---- helpers ----

    private static Set<Integer> standbyPorts() {
        Set<Integer> ports = new HashSet<>();
        pg.standbys().forEach(n -> ports.add(n.port()));
        return ports;
    }

    private static Set<Integer> ports(Connection c, int reads) throws SQLException {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < reads; i++) {
            seen.add(port(c, "select inet_server_port()"));
        }
        return seen;
    }

    private static int port(Connection c, String sql) throws SQLException {
        return Integer.parseInt(value(c, sql));
    }

    private static Connection connect(ProxyFixture p) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", pg.user());
        props.setProperty("password", pg.password());
        props.setProperty("connectTimeout", "20");
        props.setProperty("socketTimeout", "60");
        return DriverManager.getConnection(p.jdbcUrl("postgres"), props);
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String value(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }

    /** Every row as text; with {@code columns}, the column names are checked first. */
    private static List<List<String>> rows(Connection c, String sql, List<String> columns) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            if (columns != null) {
                List<String> names = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    names.add(md.getColumnName(i));
                }
                assertThat(names).as(sql).isEqualTo(columns);
            }
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<String> items(List<List<String>> rows) {
        return rows.stream().map(r -> r.get(0)).toList();
    }

    private static void assertSqlState(Statement st, String sql, String state, String message) {
        assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo(state);
            assertThat(e.getMessage()).startsWith("ERROR: " + message);
        });
    }

    private static ProcessResult psql(ProxyFixture p, String... args) {
        String[] all = new String[args.length + 6];
        all[0] = "-h";
        all[1] = "127.0.0.1";
        all[2] = "-p";
        all[3] = String.valueOf(p.port);
        all[4] = "-d";
        all[5] = "postgres";
        System.arraycopy(args, 0, all, 6, args.length);
        return pg.primary().psqlCommand(all);
    }
}
