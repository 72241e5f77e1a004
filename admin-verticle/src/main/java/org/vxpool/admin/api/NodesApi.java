package org.vxpool.admin.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.Addresses;
import org.vxpool.common.model.ClusterView;

/**
 * {@code /api/v1/nodes}: the backends as {@code SHOW pool_nodes} shows them, and the pcp node
 * commands, forwarded to the Active node over the clustered event bus (only the Active node
 * registers those addresses, so a request reaches it from any node).
 */
public final class NodesApi {
    private static final Logger LOG = LoggerFactory.getLogger(NodesApi.class);
    /** A switchover waits for the primary search; pgpool's pcp tools wait as long. */
    private static final DeliveryOptions ACTIVE_REQUEST = new DeliveryOptions().setSendTimeout(120_000);
    /** A graceful detach waits for the clients up to recovery_timeout, which the Active node enforces. */
    private static final DeliveryOptions GRACEFUL_REQUEST = new DeliveryOptions().setSendTimeout(java.time.Duration.ofDays(1).toMillis());

    /** The pcp commands: path segment, event-bus address, what the answer calls the service. */
    private enum Action {
        ATTACH("attach", Addresses.ATTACH),
        DETACH("detach", Addresses.DETACH),
        PROMOTE("promote", Addresses.PROMOTE),
        RECOVERY("recovery", Addresses.RECOVER);

        final String path;
        final String address;

        Action(String path, String address) {
            this.path = path;
            this.address = address;
        }
    }

    private final Vertx vertx;
    private final Sources sources;

    public NodesApi(Vertx vertx, Sources sources) {
        this.vertx = vertx;
        this.sources = sources;
    }

    /** The raw view's path, for tests that compare what nodes route by. */
    public static final String VIEW_PATH = "/api/v1/view";

    /** Read routes; open like SHOW pool_nodes is to any client. */
    public void readRoutes(Router api) {
        // The ClusterView exactly as this node's proxies route by it (epoch included), so views
        // on several nodes can be compared for equality; /nodes adds per-node health data.
        api.get("/view").handler(ctx -> sources.viewJson().onSuccess(view -> Replies.json(ctx, 200, view))
                .onFailure(e -> Replies.busFailure(ctx, e, "the watchdog")));
        api.get("/nodes").handler(this::list);
        api.get("/nodes/:id").handler(this::one);
    }

    /** Mutations; the caller puts authentication in front. */
    public void actionRoutes(Router api) {
        for (Action action : Action.values()) {
            api.post("/nodes/:id/" + action.path).handler(ctx -> act(ctx, action));
        }
    }

    private void list(RoutingContext ctx) {
        withView(ctx).onSuccess(both -> Replies.json(ctx, 200, NodeRows.all(both.view, both.health)));
    }

    private void one(RoutingContext ctx) {
        withView(ctx).onSuccess(both -> nodeId(ctx, both.view).ifPresent(id ->
                Replies.json(ctx, 200, NodeRows.row(both.view, both.view.node(id), both.health))));
    }

    private record ViewAndHealth(ClusterView view, JsonObject health) {
    }

    /** The view (required) and the health stats (best effort: absent stats leave the section empty). */
    private Future<ViewAndHealth> withView(RoutingContext ctx) {
        return sources.view()
                .compose(view -> sources.nodeStats().map(h -> new ViewAndHealth(view, h))
                        .otherwise(new ViewAndHealth(view, null)))
                .onFailure(e -> Replies.busFailure(ctx, e, "the watchdog"));
    }

    private java.util.Optional<Integer> nodeId(RoutingContext ctx, ClusterView view) {
        String raw = ctx.pathParam("id");
        try {
            int id = Integer.parseInt(raw);
            if (id >= 0 && id < view.nodes().size()) {
                return java.util.Optional.of(id);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        Replies.error(ctx, 404, "no such backend node: " + raw + " (nodes are 0.." + (view.nodes().size() - 1) + ")");
        return java.util.Optional.empty();
    }

    private void act(RoutingContext ctx, Action action) {
        sources.view().onFailure(e -> Replies.busFailure(ctx, e, "the watchdog"))
                .onSuccess(view -> nodeId(ctx, view).ifPresent(id -> forward(ctx, action, id)));
    }

    private void forward(RoutingContext ctx, Action action, int id) {
        JsonObject body = new JsonObject().put("node", id);
        if (action == Action.PROMOTE) {
            body.put("switchover", "true".equalsIgnoreCase(ctx.queryParams().get("switchover")));
        }
        boolean gracefully = (action == Action.DETACH || action == Action.PROMOTE)
                && "true".equalsIgnoreCase(ctx.queryParams().get("gracefully"));
        if (gracefully) {
            body.put("gracefully", true);
        }
        LOG.info("admin API: {} node {}{} requested by {}", action.path, id, gracefully ? " gracefully" : "",
                ctx.<String>get(org.vxpool.admin.auth.BasicAuth.USER_KEY));
        vertx.eventBus().<JsonObject>request(action.address, body, gracefully ? GRACEFUL_REQUEST : ACTIVE_REQUEST)
                .onSuccess(reply -> Replies.json(ctx, 200, new JsonObject().put("node", id).put("action", action.path)
                        .put("ok", reply.body().getBoolean("ok", true)).put("message", reply.body().getString("message", ""))))
                .onFailure(e -> Replies.busFailure(ctx, e, "the Active node"));
    }
}
