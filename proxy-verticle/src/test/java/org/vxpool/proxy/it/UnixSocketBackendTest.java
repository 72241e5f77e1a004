package org.vxpool.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/**
 * {@code backend_hostname} as a socket directory (pgpool-II's and libpq's convention): vxpool
 * reaches the backend over its Unix-domain socket, for queries and for cancel requests.
 */
class UnixSocketBackendTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder());

    private static ProxyFixture proxyOverSocket() {
        PgCluster pg = PG.cluster();
        BackendNode node = new BackendNode(0, pg.dir().toString(), pg.primary().port(), 1, NodeStatus.UP,
                NodeRole.PRIMARY, 0);
        return ProxyFixture.start(new ClusterView(1, List.of(node)), s -> s, 2);
    }

    private static Connection connect(ProxyFixture proxy) throws SQLException {
        return DriverManager.getConnection(proxy.jdbcUrl("postgres"), PG.cluster().user(), PG.cluster().password());
    }

    @Test
    void queriesReachTheBackendOverItsUnixSocket() throws Exception {
        try (ProxyFixture proxy = proxyOverSocket(); Connection c = connect(proxy); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT inet_server_port() IS NULL, inet_client_addr() IS NULL, "
                     + "current_setting('port')::int")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("no TCP port on the backend side").isTrue();
            assertThat(rs.getBoolean(2)).as("no TCP client address on the backend side").isTrue();
            assertThat(rs.getInt(3)).isEqualTo(PG.cluster().primary().port());
        }
    }

    @Test
    void cancelReachesTheBackendOverItsUnixSocket() throws Exception {
        try (ProxyFixture proxy = proxyOverSocket(); Connection c = connect(proxy); Statement st = c.createStatement()) {
            JdbcRelayTest.assertCancelStopsASleepAndLeavesTheSessionUsable(st);
        }
    }
}
