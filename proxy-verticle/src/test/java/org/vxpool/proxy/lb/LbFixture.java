package org.vxpool.proxy.lb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.ProxyVerticle;
import org.vxpool.proxy.routing.RoutingSettings;
import org.vxpool.proxy.session.ClientTls;
import org.vxpool.proxy.session.TrustPassThroughAuthenticator;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgNode;

/** A load-balancing proxy in front of a testkit primary + standbys, for the user {@code trusty}. */
final class LbFixture {
    static final String USER = "trusty";

    private LbFixture() {
    }

    /** The cluster's view with the given weights (node id order). */
    static ClusterView view(PgCluster cluster, double... weights) {
        List<BackendNode> nodes = new ArrayList<>();
        for (PgNode n : cluster.nodes()) {
            nodes.add(new BackendNode(n.id(), n.host(), n.port(), weights[n.id()], NodeStatus.UP,
                    n == cluster.primary() ? NodeRole.PRIMARY : NodeRole.STANDBY, 1_700_000_000_000L));
        }
        return new ClusterView(1, nodes);
    }

    static ProxyFixture start(ClusterView view, RoutingSettings routing) {
        return start(view, routing, s -> s.withNumInitChildren(64));
    }

    /** @param tune the proxy settings, e.g. transaction pooling */
    static ProxyFixture start(ClusterView view, RoutingSettings routing, java.util.function.UnaryOperator<org.vxpool.proxy.ProxySettings> tune) {
        ProxyFixture f = ProxyFixture.start(view, tune, 1,
                s -> new ProxyVerticle(s, new TrustPassThroughAuthenticator(), ClientTls.NONE, null, routing));
        // the first login of a user is relayed (vxpool learns that the backend trusts it); later ones are balanced
        try (Connection c = connect(f, "")) {
            c.createStatement().execute("select 1");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return f;
    }

    static Connection connect(ProxyFixture f, String params) throws SQLException {
        return DriverManager.getConnection(f.jdbcUrl("postgres") + params, USER, "");
    }

    static int port(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
