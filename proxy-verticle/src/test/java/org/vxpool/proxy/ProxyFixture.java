package org.vxpool.proxy;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.vxpool.common.Addresses;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;

/**
 * A Vert.x instance running ProxyVerticle in-process on a free port, answering
 * {@code CLUSTER_VIEW_GET} with a view of the given backends and recording BACKEND_ERROR reports.
 */
public final class ProxyFixture implements AutoCloseable {
    public final Vertx vertx = Vertx.vertx();
    public final int port;
    public final ProxySettings settings;
    public final List<JsonObject> backendErrors = new CopyOnWriteArrayList<>();
    private volatile ClusterView view;
    private final MessageConsumer<JsonObject> viewGet;

    private ProxyFixture(ProxySettings settings, ClusterView view) {
        this.settings = settings;
        this.port = settings.port();
        this.view = view;
        viewGet = vertx.eventBus().<JsonObject>localConsumer(Addresses.CLUSTER_VIEW_GET, m -> m.reply(this.view.toJson()));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.BACKEND_ERROR, m -> backendErrors.add(m.body()));
    }

    /** A view with node 0 as primary and the rest as standbys, all up. */
    public static ClusterView view(long epoch, String host, int... ports) {
        List<BackendNode> nodes = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            nodes.add(new BackendNode(i, host, ports[i], 1, NodeStatus.UP, i == 0 ? NodeRole.PRIMARY : NodeRole.STANDBY, 0));
        }
        return new ClusterView(epoch, nodes);
    }

    /** The view of a testkit cluster: its primary as node 0's role, standbys as the rest. */
    public static ClusterView view(org.vxpool.testkit.PgCluster cluster) {
        List<BackendNode> nodes = new ArrayList<>();
        org.vxpool.testkit.PgNode primary = cluster.primary();
        for (org.vxpool.testkit.PgNode n : cluster.nodes()) {
            nodes.add(new BackendNode(n.id(), n.host(), n.port(), 1, NodeStatus.UP,
                    n == primary ? NodeRole.PRIMARY : NodeRole.STANDBY, 0));
        }
        return new ClusterView(1, nodes);
    }

    public static ProxyFixture start(org.vxpool.testkit.PgCluster cluster, java.util.function.UnaryOperator<ProxySettings> tune,
                                     int instances) {
        return start(view(cluster), tune, instances);
    }

    public static ProxyFixture start(ClusterView view, java.util.function.UnaryOperator<ProxySettings> tune, int instances) {
        return start(view, tune, instances, ProxyVerticle::new);
    }

    /** As above, with the verticles made by {@code factory} (e.g. with pool_hba and TLS). */
    public static ProxyFixture start(ClusterView view, java.util.function.UnaryOperator<ProxySettings> tune, int instances,
                                     java.util.function.Function<ProxySettings, ProxyVerticle> factory) {
        ProxySettings s = tune.apply(ProxySettings.defaults("127.0.0.1", freePort()));
        ProxyFixture f = new ProxyFixture(s, view);
        try {
            f.vertx.deployVerticle(() -> factory.apply(s), new DeploymentOptions().setInstances(instances))
                    .await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            f.close();
            throw new IllegalStateException("proxy did not start", e);
        }
        return f;
    }

    /** Publishes a new view as the watchdog would. */
    public void publish(ClusterView next) {
        view = next;
        vertx.eventBus().publish(Addresses.CLUSTER_VIEW, next.toJson());
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public JsonObject stats() {
        try {
            return vertx.eventBus().<JsonObject>request(Addresses.PROXY_STATS, new JsonObject()).await(10, TimeUnit.SECONDS).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        viewGet.unregister();
        try {
            vertx.close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort in teardown
        }
    }
}
