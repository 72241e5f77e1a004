package org.vxpool.admin.api;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.vxpool.common.Addresses;

/**
 * {@code GET /api/v1/nodes}: this node's current {@code ClusterView} as JSON (epoch and every
 * backend's status and role), read-only. The view comes from the local watchdog, so every vxpool
 * node answers with what its own proxies route by.
 */
public final class NodesApi {

    public static final String PATH = "/api/v1/nodes";
    private static final long TIMEOUT_MS = 5_000;

    private final Vertx vertx;

    private NodesApi(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Adds the route to {@code router}. */
    public static void mount(Vertx vertx, Router router) {
        router.get(PATH).handler(new NodesApi(vertx)::handle);
    }

    private void handle(RoutingContext ctx) {
        vertx.eventBus().<JsonObject>request(Addresses.CLUSTER_VIEW_GET, new JsonObject(),
                        new DeliveryOptions().setSendTimeout(TIMEOUT_MS).setLocalOnly(true))
                .onSuccess(reply -> ctx.response().putHeader("content-type", "application/json")
                        .end(reply.body().encode()))
                // No watchdog on this node (or it is stuck): say so instead of hanging the client.
                .onFailure(e -> ctx.response().setStatusCode(503).putHeader("content-type", "application/json")
                        .end(new JsonObject().put("error", "no cluster view: " + e.getMessage()).encode()));
    }
}
