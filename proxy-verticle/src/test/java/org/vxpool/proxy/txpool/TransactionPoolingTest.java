package org.vxpool.proxy.txpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vxpool.proxy.txpool.TxFixture.backends;
import static org.vxpool.proxy.txpool.TxFixture.connect;
import static org.vxpool.proxy.txpool.TxFixture.value;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.testkit.PgCluster;

/** pool_mode = transaction through real JDBC against a real primary (no load balancing here). */
class TransactionPoolingTest {
    @TempDir
    static Path dir;
    static PgCluster pg;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        pg = PgCluster.builder().start();
        pg.primary().execute("CREATE TABLE tx_t(id int primary key, v text)");
        proxy = TxFixture.start(pg, dir, "default_pool_size = 3\nload_balance_mode = off\n");
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

    @Test
    void simpleQueriesAndTransactionsWork() throws Exception {
        try (Connection c = connect(proxy, pg)) {
            assertThat(value(c, "select 1")).isEqualTo("1");
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("insert into tx_t values (1, 'a')");
            }
            assertThat(value(c, "select v from tx_t where id = 1")).isEqualTo("a");
            c.rollback();
            c.setAutoCommit(true);
            assertThat(value(c, "select count(*) from tx_t where id = 1")).isEqualTo("0");
        }
    }

    @Test
    void fiftyClientsShareThreeConnectionsWithServerPreparedStatements() throws Exception {
        List<Connection> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                clients.add(connect(proxy, pg, "prepareThreshold", "1"));
            }
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < clients.size(); i++) {
                    try (PreparedStatement ps = clients.get(i).prepareStatement("select ?::int + " + (i % 5))) {
                        ps.setInt(1, round);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            assertThat(rs.getInt(1)).isEqualTo(round + i % 5);
                        }
                    }
                }
            }
            assertThat(backends(pg.primary(), pg)).isBetween(1, 3);
        } finally {
            for (Connection c : clients) {
                c.close();
            }
        }
    }
}
