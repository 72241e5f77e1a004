package org.vxpool.it;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.proxy.ProxyVerticle;
import org.vxpool.testkit.PgBinaries;
import org.vxpool.testkit.PgCluster;
import org.vxpool.watchdog.WatchdogVerticle;

/**
 * WatchdogVerticle + ProxyVerticle in this JVM in front of a testkit cluster, configured for the
 * failover tests: 5 s health checks, builtin promotion, no load balancing.
 */
public final class InProcessVxpool implements AutoCloseable {
    public final Vertx vertx;
    public final int port;
    public final String url;

    private InProcessVxpool(Vertx vertx, int port) {
        this.vertx = vertx;
        this.port = port;
        this.url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public static InProcessVxpool start(PgCluster pg, Path logdir) throws Exception {
        return start(pg, logdir, UnaryOperator.identity());
    }

    /** @param edit changes the failover tests' configuration text (e.g. load balancing on) */
    public static InProcessVxpool start(PgCluster pg, Path logdir, UnaryOperator<String> edit) throws Exception {
        int port = freePort();
        PoolConfig config = PoolConfig.parse(edit.apply(conf(pg, port, logdir)), logdir.resolve("pgpool.conf").toString());
        Vertx vertx = Vertx.vertx();
        try {
            vertx.deployVerticle(new WatchdogVerticle(config, false)).await(60, TimeUnit.SECONDS);
            vertx.deployVerticle(new ProxyVerticle(config)).await(60, TimeUnit.SECONDS);
        } catch (Exception | Error e) {
            vertx.close().await(30, TimeUnit.SECONDS);
            throw e;
        }
        return new InProcessVxpool(vertx, port);
    }

    static String conf(PgCluster pg, int port, Path logdir) {
        StringBuilder c = new StringBuilder();
        c.append("listen_addresses = '127.0.0.1'\nport = ").append(port).append('\n');
        c.append("logdir = '").append(logdir).append("'\n");
        pg.nodes().forEach(n -> c.append("backend_hostname").append(n.id()).append(" = '").append(n.host()).append("'\n")
                .append("backend_port").append(n.id()).append(" = ").append(n.port()).append('\n')
                .append("backend_data_directory").append(n.id()).append(" = '").append(n.dataDir()).append("'\n"));
        // The setting: pgpool-II needs 6.7 s with a 5 s period; the goal is under 2.5 s.
        c.append("health_check_period = 5\nhealth_check_timeout = 20\nhealth_check_max_retries = 0\n");
        c.append("health_check_user = '").append(pg.user()).append("'\nhealth_check_password = '")
                .append(pg.password()).append("'\n");
        c.append("builtin_promote = on\nsearch_primary_node_timeout = 30\nload_balance_mode = off\n");
        return c.toString();
    }

    public static Connection connect(String url, PgCluster pg) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", pg.user());
        p.setProperty("password", pg.password());
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "30");
        return DriverManager.getConnection(url, p);
    }

    /** Starts pgbench against this vxpool as the cluster's superuser, output to {@code log}. */
    public Process pgbench(PgCluster pg, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(PgBinaries.get().tool("pgbench"),
                "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", pg.user()));
        cmd.addAll(List.of(args));
        cmd.add("postgres");
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().put("PGPASSWORD", pg.password());
        b.environment().put("PGCONNECT_TIMEOUT", "5");
        return b.start();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
    }
}
