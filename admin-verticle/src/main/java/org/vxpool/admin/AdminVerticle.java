package org.vxpool.admin;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.List;
import org.vxpool.admin.api.NodesApi;
import org.vxpool.common.ListenFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;

/**
 * vxpool's HTTP endpoint on {@code admin_listen_addresses:admin_port}. For now it serves
 * {@code GET /health}: 200 with every check UP, 503 otherwise; and {@code GET /api/v1/nodes}
 * ({@link NodesApi}).
 */
public final class AdminVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(AdminVerticle.class);

    private final List<String> listenAddresses;
    private final int port;

    /** Listens on {@code admin_listen_addresses:admin_port}. */
    public AdminVerticle(PoolConfig config) {
        this(config.get(Params.ADMIN_LISTEN_ADDRESSES), config.get(Params.ADMIN_PORT));
    }

    /**
     * @param listenAddresses host names or addresses, {@code *} meaning every interface
     * @param port the TCP port, 0 for any free one
     */
    public AdminVerticle(List<String> listenAddresses, int port) {
        this.listenAddresses = listenAddresses.stream().map(a -> a.equals("*") ? "0.0.0.0" : a).toList();
        this.port = port;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(healthChecks()));
        NodesApi.mount(vertx, router);
        List<Future<HttpServer>> servers = listenAddresses.stream().map(host -> listen(router, host)).toList();
        return Future.all(servers);
    }

    private HealthChecks healthChecks() {
        ClusterMembersCheck cluster = new ClusterMembersCheck(vertx);
        // Completing from a fresh task proves this event loop still drains its queue.
        return HealthChecks.create(vertx)
                .register("event-loop", promise -> context.runOnContext(v -> promise.complete(Status.OK())))
                .register(ClusterMembersCheck.NAME, cluster::check);
    }

    private Future<HttpServer> listen(Router router, String host) {
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(router)
                .listen()
                .recover(failure -> Future.failedFuture(ListenFailure.of(host, port, failure)))
                .onSuccess(server -> LOG.info("admin API listening on {}:{}", host, server.actualPort()));
    }
}
