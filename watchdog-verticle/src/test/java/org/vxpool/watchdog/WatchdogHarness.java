package org.vxpool.watchdog;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.vxpool.common.Addresses;
import org.vxpool.common.config.BackendConfig;
import org.vxpool.common.config.BackendFlag;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.model.ClusterView;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgNode;

/** Deploys a {@link WatchdogVerticle} in-process against a testkit cluster and talks to it over the event bus. */
public final class WatchdogHarness implements AutoCloseable {
    public Vertx vertx;
    /** Every view published on {@link Addresses#CLUSTER_VIEW}, in arrival order. */
    public final List<ClusterView> published = new CopyOnWriteArrayList<>();
    private String deployment;

    public WatchdogHarness() {
        newVertx();
    }

    /** Around an already built (for example clustered) Vert.x instance. */
    public WatchdogHarness(Vertx vertx) {
        this.vertx = vertx;
        listen();
    }

    private void newVertx() {
        vertx = Vertx.vertx();
        listen();
    }

    private void listen() {
        vertx.eventBus().<JsonObject>consumer(Addresses.CLUSTER_VIEW, m -> published.add(ClusterView.fromJson(m.body())));
    }

    /**
     * Like a process restart: a new Vert.x instance, so nothing of the old one (its local
     * shared-data map in particular) survives; only the files do.
     */
    public void restart(WatchdogSettings settings, boolean discardStatus) throws Exception {
        undeploy();
        get(vertx.close());
        newVertx();
        deploy(settings, discardStatus);
    }

    /**
     * Settings as the launcher builds them: from pgpool.conf text naming the cluster's nodes, with
     * fast test timings (check every second, 2 s timeout, one immediate retry), built-in promotion
     * and a 20 s primary search; {@code overrides} are (name, value) pairs that replace or add
     * parameters.
     */
    public static WatchdogSettings settings(PgCluster cluster, Path dir, String... overrides) {
        return WatchdogSettings.from(config(cluster, dir, overrides));
    }

    /** The configuration {@link #settings} builds its settings from, for a verticle that takes reloads. */
    public static PoolConfig config(PgCluster cluster, Path dir, String... overrides) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("logdir", dir.toString());
        for (PgNode n : cluster.nodes()) {
            conf.put("backend_hostname" + n.id(), n.host());
            conf.put("backend_port" + n.id(), Integer.toString(n.port()));
            conf.put("backend_data_directory" + n.id(), n.dataDir().toString());
            conf.put("backend_application_name" + n.id(), n.applicationName());
        }
        conf.put("health_check_period", "1");
        conf.put("health_check_timeout", "2");
        conf.put("health_check_user", cluster.user());
        conf.put("health_check_password", cluster.password());
        conf.put("health_check_max_retries", "1");
        conf.put("health_check_retry_delay", "0");
        conf.put("connect_timeout", "2000");
        conf.put("builtin_promote", "on");
        conf.put("search_primary_node_timeout", "20");
        for (int i = 0; i < overrides.length; i += 2) {
            conf.put(overrides[i], overrides[i + 1]);
        }
        StringBuilder text = new StringBuilder();
        conf.forEach((k, v) -> text.append(k).append(" = '").append(v.replace("\\", "\\\\").replace("'", "''"))
                .append("'\n"));
        return PoolConfig.parse(text.toString(), dir.resolve("pgpool.conf").toString());
    }

    /** {@code settings} with backend {@code node}'s {@code backend_flag} replaced. */
    public static WatchdogSettings withFlags(WatchdogSettings settings, int node, BackendFlag... flags) {
        List<BackendConfig> backends = new ArrayList<>(settings.backends());
        BackendConfig b = backends.get(node);
        backends.set(node, new BackendConfig(node, b.host(), b.port(), b.weight(), b.dataDirectory(), Set.of(flags),
                b.applicationName()));
        return new WatchdogSettings(settings.statusFile(), settings.useWatchdog(), backends, settings.health(),
                settings.failover());
    }

    public void deploy(WatchdogSettings settings, boolean discardStatus) throws Exception {
        deploy(new WatchdogVerticle(settings, discardStatus));
    }

    public void deploy(WatchdogVerticle verticle) throws Exception {
        deployment = get(vertx.deployVerticle(verticle));
    }

    public void undeploy() throws Exception {
        if (deployment != null) {
            get(vertx.undeploy(deployment));
            deployment = null;
        }
    }

    public ClusterView view() throws Exception {
        return ClusterView.fromJson(request(Addresses.CLUSTER_VIEW_GET, new JsonObject()));
    }

    public ClusterView awaitView(String what, Predicate<ClusterView> condition, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        ClusterView v = view();
        while (!condition.test(v)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("view never showed " + what + " within " + max + "; last: " + v.toJson());
            }
            Thread.sleep(25);
            v = view();
        }
        return v;
    }

    /** Waits until a view matching {@code condition} was published on the event bus. */
    public ClusterView awaitPublished(String what, Predicate<ClusterView> condition, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            for (ClusterView v : published) {
                if (condition.test(v)) {
                    return v;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no published view showed " + what + " within " + max + "; published: " + published);
    }

    public JsonObject request(String address, JsonObject body) throws Exception {
        return get(vertx.eventBus().<JsonObject>request(address, body)).body();
    }

    /** The reason a request was refused with; fails when it was answered ok. */
    public String refusal(String address, JsonObject body) throws Exception {
        try {
            JsonObject ok = request(address, body);
            throw new AssertionError(address + " " + body + " unexpectedly answered " + ok);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ReplyException r) {
                return r.getMessage();
            }
            throw e;
        }
    }

    public static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
