package org.vxpool.admin.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;
import org.vxpool.admin.PoolControl;

/**
 * {@code GET /api/v1/sessions}: this node's clients, their sessions per state and the backend
 * connection pools per (node, user, database), as pgpoolAdmin's process page shows pgpool's
 * children and pools ({@code SHOW pool_processes}, {@code SHOW pool_pools}).
 */
public final class SessionsApi {
    private final Sources sources;
    private final Supplier<PoolControl.State> poolState;

    public SessionsApi(Sources sources, Supplier<PoolControl.State> poolState) {
        this.sources = sources;
        this.poolState = poolState;
    }

    public void readRoutes(Router api) {
        api.get("/sessions").handler(this::sessions);
    }

    /** {@code {"clients": n, "sessions": {state: n}, "pools": [...]}}; fails when the proxy does not answer. */
    public Future<JsonObject> read() {
        return sources.proxyStats().map(s -> new JsonObject().put("clients", s.getValue("clients"))
                .put("sessions", s.getValue("sessions")).put("pools", s.getValue("pools")));
    }

    /** Why {@link #read()} failed, for the 503 and the console. */
    public String problem(Throwable failure) {
        if (poolState.get() != PoolControl.State.RUNNING) {
            return "the pool is " + poolState.get().name().toLowerCase() + " on this node";
        }
        return Replies.noHandlers(failure) ? "the proxy is not running on this node" : "the proxy failed: " + failure.getMessage();
    }

    private void sessions(RoutingContext ctx) {
        read().onSuccess(s -> Replies.json(ctx, 200, s)).onFailure(e -> {
            if (Replies.noHandlers(e)) {
                Replies.error(ctx, 503, problem(e));
            } else {
                Replies.busFailure(ctx, e, "the proxy");
            }
        });
    }
}
