package org.vxpool.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.vxpool.common.config.ConfigReload;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.ProxySettings;
import org.vxpool.proxy.ProxyVerticle;
import org.vxpool.testkit.PgCluster;

/**
 * log_connections, log_disconnections, log_statement, log_per_node_statement and log_client_messages
 * against real PostgreSQL, at start and after a reload.
 */
class SessionLoggingTest {
    static PgCluster pg;
    static ProxyFixture proxy;
    static int port;

    /** ClientSession's and SessionLogging's parent. */
    private final Logger sessions = (Logger) LoggerFactory.getLogger(ClientSession.class.getPackageName());
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        pg = PgCluster.builder().start();
        port = ProxyFixture.freePort();
        PoolConfig config = config("on");
        proxy = ProxyFixture.start(ProxyFixture.view(pg), s -> ProxySettings.from(config), 1, s -> new ProxyVerticle(config));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void attach() {
        lines.start();
        sessions.addAppender(lines);
    }

    @AfterEach
    void detach() {
        sessions.detachAppender(lines);
    }

    @Test
    void connectionsStatementsAndDisconnectionsAreLoggedWhileOnAndNotAfterAReloadTurnsThemOff() throws Exception {
        connectAndLeave();
        awaitDisconnection();
        List<String> logged = messages();
        // log_hostname: the client's host by name, looked up as the system resolves 127.0.0.1
        String host = java.net.InetAddress.getByName("127.0.0.1").getHostName();
        assertThat(host).isNotEqualTo("127.0.0.1");
        assertThat(logged).filteredOn(m -> m.startsWith("connection received")).hasSize(2)
                .allMatch(m -> m.startsWith("connection received: host=" + host + " port="));
        // The driver's own SET comes first; the test's statement is logged once, and once for node 0.
        assertThat(logged).containsOnlyOnce("statement: SELECT 41 + 1", "DB node id: 0 statement: SELECT 41 + 1",
                "statement: SELECT 40 + 3", "DB node id: 0 statement: SELECT 40 + 3");
        // log_client_messages: every message after start-up, in pgpool's words
        assertThat(logged).containsSubsequence("Query message from frontend. query: \"SELECT 41 + 1\"",
                "Terminate message from frontend.");
        assertThat(logged).containsSubsequence("Parse message from frontend. statement: \"\", query: \"SELECT 40 + 3\"",
                "Bind message from frontend. portal: \"\", statement: \"\"", "Describe message from frontend. portal: \"\"",
                "Execute message from frontend. portal: \"\"", "Sync message from frontend.", "Terminate message from frontend.");
        assertThat(logged).noneMatch(m -> m.contains("message from frontend") && m.contains(pg.password()));
        assertThat(logged.get(logged.size() - 1)).matches("frontend disconnection: session time: \\d+:\\d\\d:\\d\\d\\.\\d{3} user="
                + pg.user() + " database=postgres host=" + host + " port=\\d+");

        ConfigReload.publish(proxy.vertx, config("off"));
        Thread.sleep(500);
        lines.list.clear();
        connectAndLeave();
        Thread.sleep(500);
        assertThat(messages()).isEmpty();
    }

    private static PoolConfig config(String onOff) {
        return PoolConfig.parse("backend_hostname0 = '127.0.0.1'\nbackend_port0 = " + pg.primary().port()
                + "\nlisten_addresses = '127.0.0.1'\nport = " + port
                + "\nlog_connections = " + onOff + "\nlog_disconnections = " + onOff
                + "\nlog_statement = " + onOff + "\nlog_per_node_statement = " + onOff
                + "\nlog_client_messages = " + onOff + "\nlog_hostname = " + onOff + "\n", "pgpool.conf");
    }

    private static void connectAndLeave() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", pg.user());
        p.setProperty("password", pg.password());
        p.setProperty("preferQueryMode", "simple");
        try (Connection c = DriverManager.getConnection(proxy.jdbcUrl("postgres"), p)) {
            c.createStatement().execute("SELECT 41 + 1");
        }
        // and a Parse: the extended protocol is logged per node too
        p.setProperty("preferQueryMode", "extended");
        try (Connection c = DriverManager.getConnection(proxy.jdbcUrl("postgres"), p)) {
            c.createStatement().execute("SELECT 40 + 3");
        }
    }

    private void awaitDisconnection() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        // connectAndLeave opens two sessions
        while (messages().stream().filter(m -> m.startsWith("frontend disconnection")).count() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("connection received") || m.startsWith("frontend disconnection")
                        || m.contains("statement: ") || m.contains(" message from frontend")).toList();
    }
}
