package org.vxpool.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/**
 * The launcher deploys one ProxyVerticle per event loop from pgpool.conf, and those instances
 * share one load of pool_hba/pool_passwd/TLS. Each instance must still serve its clients on its
 * own event loop: the shared load's callbacks ran on the first instance's loop, and every
 * instance's server was made there, so one core served every client.
 */
class EventLoopInstancesTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder()
            .user("trusty", null, PasswordEncryption.NONE, true));

    @TempDir
    Path dir;

    @Test
    void instancesFromPgpoolConfServeClientsOnTheirOwnEventLoops() throws Exception {
        int port = ProxyFixture.freePort();
        Path file = dir.resolve("pgpool.conf");
        Files.writeString(file, "backend_hostname0 = '127.0.0.1'\nbackend_port0 = " + PG.cluster().primary().port()
                + "\nlisten_addresses = '127.0.0.1'\nport = " + port + "\nlog_statement = on\n");
        PoolConfig config = PoolConfig.parse(Files.readString(file), file.toString());
        Logger sessions = (Logger) LoggerFactory.getLogger("org.vxpool.proxy.session");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        sessions.addAppender(lines);
        List<Connection> clients = new ArrayList<>();
        try (ProxyFixture f = ProxyFixture.start(ProxyFixture.view(PG.cluster()), s -> ProxySettings.from(config), 2,
                s -> new ProxyVerticle(config))) {
            Properties p = new Properties();
            p.setProperty("user", "trusty");
            p.setProperty("preferQueryMode", "simple");
            for (int i = 0; i < 8; i++) {
                Connection c = DriverManager.getConnection(f.jdbcUrl("postgres"), p);
                clients.add(c);
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 'loop probe " + i + "'")) {
                    rs.next();
                }
            }
        } finally {
            sessions.detachAppender(lines);
            for (Connection c : clients) {
                c.close();
            }
        }
        Set<String> threads = lines.list.stream().filter(e -> e.getFormattedMessage().contains("loop probe"))
                .map(ILoggingEvent::getThreadName).collect(Collectors.toSet());
        assertThat(lines.list.stream().filter(e -> e.getFormattedMessage().contains("loop probe"))).hasSizeGreaterThanOrEqualTo(8);
        assertThat(threads).as("event loops that served the 8 clients").hasSize(2);
    }
}
