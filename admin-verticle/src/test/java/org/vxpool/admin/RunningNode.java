package org.vxpool.admin;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.vxpool.admin.auth.PcpAuthFile;
import org.vxpool.admin.metrics.PoolMetrics;
import org.vxpool.common.config.ConfigLoader;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.proxy.ProxyVerticle;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.vxpool.testkit.FreePorts;
import org.vxpool.testkit.PgBinaries;
import org.vxpool.testkit.ProcessResult;
import org.vxpool.testkit.Processes;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgNode;
import org.vxpool.watchdog.WatchdogVerticle;

/**
 * A whole vxpool node in this JVM, as the launcher runs it (watchdog, proxy, then admin, with
 * Micrometer on), in front of a real PostgreSQL cluster, with {@code use_watchdog = off}. Its
 * pcp.conf knows {@code admin}/{@value #PASSWORD}.
 */
final class RunningNode implements AutoCloseable {
    static final String USER = "admin";
    static final String PASSWORD = "s3cret";

    final Vertx vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(PoolMetrics.vertxOptions()));
    final WebClient http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
    final Path dir;
    final Path configFile;
    final Path logFile;
    final int adminPort = FreePorts.find();
    final int proxyPort = FreePorts.find();
    final TestPool pool;

    RunningNode(PgCluster cluster, Path dir) throws Exception {
        this(cluster, dir, "");
    }

    /** @param extra pgpool.conf lines appended to the node's settings */
    RunningNode(PgCluster cluster, Path dir, String extra) throws Exception {
        this.dir = dir;
        this.configFile = dir.resolve("pgpool.conf");
        this.logFile = dir.resolve("log/vxpool.log");
        Files.createDirectories(logFile.getParent());
        Files.writeString(configFile, configText(cluster, extra));
        // vxpool authenticates clients itself, so that sessions are pooled and load balanced.
        Files.writeString(dir.resolve("pool_hba.conf"), "host all all 127.0.0.1/32 md5\n");
        Files.writeString(dir.resolve("pool_passwd"), cluster.user() + ":TEXT" + cluster.password() + "\n");
        Files.writeString(dir.resolve("pcp.conf"), "# user:md5(password)\n" + USER + ":" + PcpAuthFile.md5Hex(PASSWORD) + "\n");
        PoolConfig config = ConfigLoader.load(configFile);
        pool = new TestPool(vertx, config);
        pool.start().await(60, TimeUnit.SECONDS);
        vertx.deployVerticle(new AdminVerticle(config, pool)).await(30, TimeUnit.SECONDS);
    }

    String configText(PgCluster cluster, String extra) {
        List<String> lines = new ArrayList<>(List.of(
                "backend_clustering_mode = 'streaming_replication'",
                "listen_addresses = '127.0.0.1'",
                "port = " + proxyPort,
                "logdir = '" + logFile.getParent() + "'",
                "admin_listen_addresses = '127.0.0.1'",
                "admin_port = " + adminPort,
                "use_watchdog = off",
                "enable_pool_hba = on",
                "pool_passwd = 'pool_passwd'",
                "health_check_period = 1",
                // A killed node is refused at once; a live one slowed by a loaded machine must not
                // look dead (CI once failed the primary over at 2 s with Chromium running).
                "health_check_timeout = 10",
                "health_check_user = '" + cluster.user() + "'",
                "health_check_password = '" + cluster.password() + "'",
                "sr_check_user = '" + cluster.user() + "'",
                "sr_check_password = '" + cluster.password() + "'",
                "sr_check_period = 1",
                "health_check_max_retries = 1",
                "health_check_retry_delay = 0",
                "search_primary_node_timeout = 20"));
        for (PgNode n : cluster.nodes()) {
            lines.add("backend_hostname" + n.id() + " = '" + n.host() + "'");
            lines.add("backend_port" + n.id() + " = " + n.port());
            lines.add("backend_data_directory" + n.id() + " = '" + n.dataDir() + "'");
            lines.add("backend_application_name" + n.id() + " = '" + n.applicationName() + "'");
        }
        return String.join("\n", lines) + "\n" + extra;
    }

    /** A JDBC session through this node's proxy. */
    Connection connect(PgCluster cluster) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", cluster.user());
        p.setProperty("password", cluster.password());
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "30");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxyPort + "/postgres", p);
    }

    /** {@code psql -At -c sql} through this node's proxy; fails on a non-zero exit. */
    String psql(PgCluster cluster, String sql) {
        ProcessResult r = Processes.command(PgBinaries.get().tool("psql"), "-X", "-At", "-h", "127.0.0.1",
                "-p", Integer.toString(proxyPort), "-U", cluster.user(), "-d", "postgres", "-c", sql)
                .env("PGPASSWORD", cluster.password()).run();
        if (r.exitCode() != 0) {
            throw new AssertionError("psql failed: " + r.output());
        }
        return r.stdout();
    }

    /** Polls {@code GET /api/v1/nodes} until the rows satisfy {@code condition}. */
    JsonArray awaitNodes(Predicate<JsonArray> condition, Duration timeout) throws Exception {
        return await("/api/v1/nodes", Buffer::toJsonArray, condition, timeout);
    }

    /** Polls {@code GET /api/v1/sessions} until its answer satisfies {@code condition}. */
    JsonObject awaitSessions(Predicate<JsonObject> condition, Duration timeout) throws Exception {
        return await("/api/v1/sessions", Buffer::toJsonObject, condition, timeout);
    }

    private <T> T await(String path, Function<Buffer, T> body, Predicate<T> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            var response = http.get(adminPort, "127.0.0.1", path).send().await(10, TimeUnit.SECONDS);
            if (response.statusCode() == 200) {
                last = body.apply(response.body());
                if (condition.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " never matched; last: " + last);
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    /** What the launcher's PoolSwitch does, reduced to these two deployments. */
    static final class TestPool implements PoolControl {
        private final Vertx vertx;
        private final PoolConfig config;
        private final List<String> ids = new ArrayList<>();
        private volatile State state = State.STOPPED;

        TestPool(Vertx vertx, PoolConfig config) {
            this.vertx = vertx;
            this.config = config;
        }

        @Override
        public Future<Void> start() {
            state = State.STARTING;
            return vertx.deployVerticle(new WatchdogVerticle(config, true)).compose(w -> {
                ids.add(w);
                return vertx.deployVerticle(() -> new ProxyVerticle(config), new DeploymentOptions().setInstances(2));
            }).map(p -> {
                ids.add(p);
                state = State.RUNNING;
                return null;
            });
        }

        @Override
        public Future<Void> stop() {
            state = State.STOPPING;
            Future<Void> chain = Future.succeededFuture();
            for (int i = ids.size() - 1; i >= 0; i--) {
                String id = ids.get(i);
                chain = chain.compose(v -> vertx.undeploy(id));
            }
            return chain.onComplete(v -> {
                ids.clear();
                state = State.STOPPED;
            });
        }

        @Override
        public State status() {
            return state;
        }
    }
}
