package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.vxpool.testkit.PgNode;

/** Where reads run through vxpool ({@code inet_server_port()}), and the lag SHOW pool_nodes reports. */
final class ReadProbes {
    private ReadProbes() {
    }

    /** Lag is measured every second (sr_check_period = 1): reads move within a few measurements. */
    static void awaitReadsOn(Statement st, PgNode node) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int port;
        while ((port = port(st)) != node.port() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(port).as("backend port of a read").isEqualTo(node.port());
    }

    static int port(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("select inet_server_port()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static long replicationDelay(Statement st, PgNode node) throws SQLException {
        try (ResultSet rs = st.executeQuery("show pool_nodes")) {
            while (rs.next()) {
                if (rs.getInt("node_id") == node.id()) {
                    return Long.parseLong(rs.getString("replication_delay"));
                }
            }
        }
        throw new AssertionError("node " + node.id() + " missing from SHOW pool_nodes");
    }
}
