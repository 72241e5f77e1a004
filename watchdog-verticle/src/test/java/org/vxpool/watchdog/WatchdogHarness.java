package org.vxpool.watchdog;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.vxpool.common.Addresses;
import org.vxpool.common.config.BackendConfig;
import org.vxpool.common.model.ClusterView;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgNode;
import org.vxpool.watchdog.failover.FailoverSettings;
import org.vxpool.watchdog.health.HealthSettings;

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

    /** Fast test timings: check every second, 2 s timeout, one retry after 200 ms. */
    public static HealthSettings fastHealth(PgCluster cluster) {
        return new HealthSettings(Duration.ofSeconds(1), Duration.ofSeconds(2), cluster.user(), cluster.password(), "",
                1, Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    public static WatchdogSettings settings(PgCluster cluster, Path logdir, FailoverSettings failover) {
        List<BackendConfig> backends = new ArrayList<>();
        List<HealthSettings> health = new ArrayList<>();
        for (PgNode n : cluster.nodes()) {
            backends.add(new BackendConfig(n.id(), n.host(), n.port(), 1, n.dataDir().toString(), Set.of(),
                    n.applicationName()));
            health.add(fastHealth(cluster));
        }
        return new WatchdogSettings(logdir.resolve("pgpool_status"), false, backends, health,
                failover.withSearchPrimaryNodeTimeout(Duration.ofSeconds(20)));
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
