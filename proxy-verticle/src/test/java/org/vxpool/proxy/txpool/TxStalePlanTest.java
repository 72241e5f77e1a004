package org.vxpool.proxy.txpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vxpool.proxy.txpool.TxFixture.connect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/**
 * Transaction pooling after a DDL changes the result of a statement prepared on a pooled
 * connection: PostgreSQL fails the next Bind with "cached plan must not change result type"
 * (0A000), and a client that prepares the text again must get the new result, as on a direct
 * connection (JDBC does so by itself). vxpool names the statement by its text on every backend
 * connection, so a new Parse of the same text found the stale statement again, for good.
 */
class TxStalePlanTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder());

    static Path dir;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("vxpool-tx-stale");
        // one backend connection: every client meets the statement prepared on it
        proxy = TxFixture.start(PG.cluster(), dir, "default_pool_size = 1\n");
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    static int columns(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return rs.getMetaData().getColumnCount();
        }
    }

    @Test
    void aClientThatPreparesAgainAfterADdlGetsTheNewResult() throws Exception {
        try (Connection c = connect(proxy, PG.cluster()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE stale_t(a int); INSERT INTO stale_t VALUES (1)");
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM stale_t")) {
                // past prepareThreshold (5): the driver runs a named statement
                for (int i = 0; i < 6; i++) {
                    assertThat(columns(ps)).isEqualTo(1);
                }
                st.execute("ALTER TABLE stale_t ADD COLUMN b int");
                // the driver meets 0A000, prepares the text again under a new name and retries, as it does directly
                assertThat(columns(ps)).isEqualTo(2);
            }
        }
        try (Connection c = connect(proxy, PG.cluster());
             PreparedStatement ps = c.prepareStatement("SELECT * FROM stale_t")) {
            for (int i = 0; i < 6; i++) {
                assertThat(columns(ps)).as("run %d of another client", i + 1).isEqualTo(2);
            }
        }
    }
}
