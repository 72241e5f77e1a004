package org.vxpool.proxy.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vxpool.proxy.lb.LbFixture.connect;
import static org.vxpool.proxy.lb.LbFixture.port;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.routing.RoutingSettings;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/** Reads on standbys, writes on the primary, proven with inet_server_port() through real JDBC and psql. */
class LoadBalancingTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(2)
            .user(LbFixture.USER, null, PasswordEncryption.NONE, true));

    static ProxyFixture proxy;
    static int primary;
    static int s1;
    static int s2;

    @BeforeAll
    static void start() {
        PgCluster c = PG.cluster();
        c.primary().execute("CREATE TABLE IF NOT EXISTS lb_t(id serial primary key, port int)");
        c.primary().execute("CREATE SEQUENCE IF NOT EXISTS lb_seq");
        c.standbys().forEach(s -> s.waitForReplay(c.primary()));
        primary = c.primary().port();
        s1 = c.standbys().get(0).port();
        s2 = c.standbys().get(1).port();
        proxy = LbFixture.start(LbFixture.view(c, 0, 1, 1), RoutingSettings.defaults());
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void readsGoToAStandbyAndWritesToThePrimary() throws Exception {
        try (Connection c = connect(proxy, ""); Statement st = c.createStatement()) {
            int read = port(st, "select inet_server_port()");
            assertThat(read).isIn(s1, s2);
            assertThat(port(st, "select inet_server_port() from (select nextval('lb_seq')) x")).isEqualTo(primary);
            assertThat(port(st, "select inet_server_port() from lb_t for update")).isIn(primary, 0);
            st.executeUpdate("insert into lb_t(port) values (inet_server_port())");
            assertThat(port(st, "select max(port) from lb_t")).isIn(0, primary); // replay may lag: the row may be missing
            assertThat(port(st, "select inet_server_port()")).isEqualTo(read);
            c.setAutoCommit(false);
            st.executeUpdate("insert into lb_t(port) values (inet_server_port())");
            assertThat(port(st, "select inet_server_port()")).isEqualTo(primary);
            c.commit();
            c.setAutoCommit(true);
            assertThat(port(st, "select inet_server_port()")).isEqualTo(read);
        }
        try (Connection c = PG.cluster().primary().connect(); Statement st = c.createStatement()) {
            assertThat(port(st, "select count(*) from lb_t where port <> " + primary)).isZero();
        }
    }

    @Test
    void aSessionSerializableByDefaultReadsOnThePrimary() throws Exception {
        // a standby refuses serializable transactions, and each read outside one is such a transaction
        try (Connection c = connect(proxy, "?options=-c%20default_transaction_isolation%3Dserializable");
                Statement st = c.createStatement()) {
            assertThat(port(st, "select inet_server_port()")).isEqualTo(primary);
        }
        try (Connection c = connect(proxy, ""); Statement st = c.createStatement()) {
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            assertThat(port(st, "select inet_server_port()")).isEqualTo(primary);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            assertThat(port(st, "select inet_server_port()")).isIn(s1, s2);
        }
    }

    @Test
    void weightsAreRespectedOverManySessions() throws Exception {
        Map<Integer, Integer> counts = readNodesOfSessions(proxy, 1000);
        assertThat(counts.getOrDefault(primary, 0)).isZero();
        // binomial(1000, 0.5): sd 15.8, so 400..600 is over 6 sd
        assertThat(counts.get(s1)).isBetween(400, 600);
        assertThat(counts.get(s2)).isBetween(400, 600);
    }

    @Test
    void unequalWeightsAreRespectedOverManySessions() throws Exception {
        Map<Integer, Integer> counts;
        try (ProxyFixture weighted = LbFixture.start(LbFixture.view(PG.cluster(), 0, 1, 3), RoutingSettings.defaults())) {
            counts = readNodesOfSessions(weighted, 1000);
        }
        assertThat(counts.getOrDefault(primary, 0)).isZero();
        // binomial(1000, 0.25): sd 13.7, so 170..330 is over 5.8 sd; an even split (500) is far outside
        assertThat(counts.get(s1)).isBetween(170, 330);
        assertThat(counts.get(s2)).isBetween(670, 830);
    }

    /** How many of {@code sessions} new sessions read from each backend port. */
    private static Map<Integer, Integer> readNodesOfSessions(ProxyFixture p, int sessions) throws Exception {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < sessions; i++) {
            try (Connection c = connect(p, ""); Statement st = c.createStatement()) {
                counts.merge(port(st, "select inet_server_port()"), 1, Integer::sum);
            }
        }
        return counts;
    }

    @Test
    void serverPreparedStatementsAlternatingReadsAndWrites() throws Exception {
        try (Connection c = connect(proxy, "?prepareThreshold=1");
             PreparedStatement read = c.prepareStatement("select inet_server_port(), ?::int");
             PreparedStatement write = c.prepareStatement("insert into lb_t(port) values (inet_server_port()) returning port")) {
            int standby = -1;
            for (int i = 0; i < 20; i++) {
                read.setInt(1, i);
                try (ResultSet rs = read.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(2)).isEqualTo(i);
                    if (standby < 0) {
                        standby = rs.getInt(1);
                    }
                    assertThat(rs.getInt(1)).isEqualTo(standby).isIn(s1, s2);
                }
                try (ResultSet rs = write.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(primary);
                }
            }
        }
    }

    /**
     * SQL-level PREPARE of a read reaches every session backend and EXECUTE is balanced; DEALLOCATE
     * and DEALLOCATE ALL reach them all too, or the next PREPARE of the name would fail with 42P05
     * on a backend that kept it.
     */
    @Test
    void sqlPreparedStatementsAndDeallocateReachEveryBackend() throws Exception {
        try (Connection c = connect(proxy, ""); Statement st = c.createStatement()) {
            st.execute("PREPARE lb_p AS SELECT inet_server_port()");
            int read = port(st, "EXECUTE lb_p");
            assertThat(read).isIn(s1, s2);
            c.setAutoCommit(false);
            st.executeUpdate("insert into lb_t(port) values (inet_server_port())");
            assertThat(port(st, "EXECUTE lb_p")).as("in a read-write transaction").isEqualTo(primary);
            c.commit();
            c.setAutoCommit(true);
            st.execute("DEALLOCATE lb_p");
            st.execute("PREPARE lb_p AS SELECT 2 + inet_server_port() * 0");
            assertThat(port(st, "EXECUTE lb_p")).isEqualTo(2);
            st.execute("DEALLOCATE ALL");
            st.execute("PREPARE lb_p AS SELECT 3 + inet_server_port() * 0");
            assertThat(port(st, "EXECUTE lb_p")).isEqualTo(3);
            st.execute("BEGIN");
            assertThat(port(st, "EXECUTE lb_p")).as("on the primary too").isEqualTo(3);
            st.execute("COMMIT");
        }
    }

    @Test
    void psqlReadsOnAStandbyWritesOnThePrimary() {
        String out = PG.cluster().primary().psqlCommand("-A", "-t", "-h", "127.0.0.1", "-p", String.valueOf(proxy.port),
                "-U", LbFixture.USER, "-d", "postgres",
                "-c", "select inet_server_port()",
                "-c", "select inet_server_port() from (select nextval('lb_seq')) x",
                "-c", "set application_name = 'lbtest'",
                "-c", "select current_setting('application_name') || ':' || inet_server_port()").requireOk().stdout();
        String[] lines = out.trim().split("\n");
        int read = Integer.parseInt(lines[0].trim());
        assertThat(read).isIn(s1, s2);
        assertThat(Integer.parseInt(lines[1].trim())).isEqualTo(primary);
        assertThat(lines[lines.length - 1].trim()).isEqualTo("lbtest:" + read);
    }
}
