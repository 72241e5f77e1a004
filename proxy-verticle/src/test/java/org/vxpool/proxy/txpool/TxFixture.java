package org.vxpool.proxy.txpool;

import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.Properties;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.ProxySettings;
import org.vxpool.proxy.ProxyVerticle;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgNode;
import org.vxpool.testkit.ProcessResult;

/**
 * A vxpool in {@code pool_mode = transaction} in front of a testkit cluster, built the launcher's
 * way from a pgpool.conf: pool_hba with scram-sha-256 for the fixture's user, whose clear-text
 * password is in pool_passwd, so vxpool authenticates clients itself.
 */
final class TxFixture {
    private TxFixture() {
    }

    static ProxyFixture start(PgCluster pg, Path dir, String settings, double... weights) throws Exception {
        return start(pg, dir, settings, List.of(), weights);
    }

    /** With {@code passwd} (lines {@code user:TEXTpassword}) in pool_passwd besides the fixture's user. */
    static ProxyFixture start(PgCluster pg, Path dir, String settings, List<String> passwd, double... weights) throws Exception {
        Files.write(dir.resolve("pool_hba.conf"), List.of("host all all 127.0.0.1/32 scram-sha-256"));
        List<String> users = new ArrayList<>(passwd);
        users.add(pg.user() + ":TEXT" + pg.password());
        Files.write(dir.resolve("pool_passwd"), users);
        StringBuilder conf = new StringBuilder();
        for (PgNode n : pg.nodes()) {
            conf.append("backend_hostname").append(n.id()).append(" = '127.0.0.1'\n")
                    .append("backend_port").append(n.id()).append(" = ").append(n.port()).append('\n');
        }
        conf.append("listen_addresses = '127.0.0.1'\nport = ").append(ProxyFixture.freePort()).append('\n')
                .append("enable_pool_hba = on\npool_passwd = 'pool_passwd'\npool_mode = transaction\n")
                .append("num_init_children = 200\n").append(settings);
        Path file = dir.resolve("pgpool.conf");
        Files.writeString(file, conf);
        PoolConfig config = PoolConfig.parse(Files.readString(file), file.toString());
        return ProxyFixture.start(view(pg, weights), s -> ProxySettings.from(config), 1, s -> new ProxyVerticle(config));
    }

    /** The cluster's view with the given load-balance weights (node id order); all 1 when none are given. */
    static ClusterView view(PgCluster pg, double... weights) {
        List<BackendNode> nodes = new ArrayList<>();
        for (PgNode n : pg.nodes()) {
            nodes.add(new BackendNode(n.id(), n.host(), n.port(), weights.length > n.id() ? weights[n.id()] : 1,
                    NodeStatus.UP, n == pg.primary() ? NodeRole.PRIMARY : NodeRole.STANDBY, 1_700_000_000_000L));
        }
        return new ClusterView(1, nodes);
    }

    static Connection connect(ProxyFixture proxy, PgCluster pg, String... props) throws SQLException {
        return connectTo(proxy, pg, "postgres", props);
    }

    static Connection connectTo(ProxyFixture proxy, PgCluster pg, String database, String... props) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", pg.user());
        p.setProperty("password", pg.password());
        p.setProperty("connectTimeout", "20");
        p.setProperty("socketTimeout", "60");
        for (int i = 0; i + 1 < props.length; i += 2) {
            p.setProperty(props[i], props[i + 1]);
        }
        return DriverManager.getConnection(proxy.jdbcUrl(database), p);
    }

    static String value(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Backend connections of the test user to {@code node}, as PostgreSQL counts them. */
    static int backends(PgNode node, PgCluster pg) {
        return Integer.parseInt(node.queryValue("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + pg.user()
                + "' AND pid <> pg_backend_pid() AND backend_type = 'client backend'"));
    }

    static ProcessResult psql(ProxyFixture proxy, PgCluster pg, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "-h";
        all[1] = "127.0.0.1";
        all[2] = "-p";
        all[3] = String.valueOf(proxy.port);
        System.arraycopy(args, 0, all, 4, args.length);
        return pg.primary().psqlCommand(all);
    }
}
