package org.vxpool.admin.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.admin.PoolControl;

/**
 * {@code /api/v1/watchdog} and {@code /api/v1/pool}: this node's watchdog view and the stop/start
 * of its proxy and watchdog verticles.
 */
public final class PoolApi {
    private static final Logger LOG = LoggerFactory.getLogger(PoolApi.class);

    private final Sources sources;
    private final PoolControl pool;
    private final Runnable changed;

    /** @param changed told after a stop or start, so live views can say so */
    public PoolApi(Sources sources, PoolControl pool, Runnable changed) {
        this.sources = sources;
        this.pool = pool;
        this.changed = changed;
    }

    public void readRoutes(Router api) {
        api.get("/watchdog").handler(this::watchdog);
        api.get("/pool").handler(ctx -> Replies.json(ctx, 200, status()));
    }

    public void actionRoutes(Router api) {
        api.post("/pool/stop").handler(ctx -> change(ctx, PoolControl.State.STOPPED, pool::stop));
        api.post("/pool/start").handler(ctx -> change(ctx, PoolControl.State.RUNNING, pool::start));
    }

    public JsonObject status() {
        return new JsonObject().put("state", pool.status().name());
    }

    private void watchdog(RoutingContext ctx) {
        sources.watchdogInfo().onSuccess(info -> Replies.json(ctx, 200, info)).onFailure(e -> {
            if (Replies.noHandlers(e)) {
                Replies.error(ctx, 503, watchdogProblem(e, pool.status()));
            } else {
                Replies.busFailure(ctx, e, "the watchdog");
            }
        });
    }

    /** Why the watchdog info cannot be read, in the words of {@code GET /watchdog}'s 503. */
    static String watchdogProblem(Throwable failure, PoolControl.State state) {
        if (!Replies.noHandlers(failure)) {
            return "the watchdog failed: " + failure.getMessage();
        }
        return state == PoolControl.State.RUNNING
                ? "the watchdog is off on this node (use_watchdog = off)" : "the watchdog is stopped on this node";
    }

    private void change(RoutingContext ctx, PoolControl.State target, java.util.function.Supplier<Future<Void>> action) {
        if (pool.status() == target) {
            Replies.error(ctx, 409, "the pool is already " + target.name().toLowerCase());
            return;
        }
        if (pool.status() == PoolControl.State.STOPPING || pool.status() == PoolControl.State.STARTING) {
            Replies.error(ctx, 409, "the pool is " + pool.status().name().toLowerCase() + "; try again when it is done");
            return;
        }
        String who = ctx.<String>get(org.vxpool.admin.auth.BasicAuth.USER_KEY);
        LOG.info("admin API: pool {} requested by {}", target == PoolControl.State.RUNNING ? "start" : "stop", who);
        action.get().onComplete(done -> {
            changed.run();
            if (done.succeeded()) {
                Replies.json(ctx, 200, status());
            } else {
                // An AssertionError or NullPointerException has no message: name the failure, or
                // the answer would be {"error": null}.
                LOG.error("admin API: pool {} failed", target == PoolControl.State.RUNNING ? "start" : "stop", done.cause());
                Replies.error(ctx, 500, "the pool " + (target == PoolControl.State.RUNNING ? "start" : "stop")
                        + " failed: " + (done.cause().getMessage() != null ? done.cause().getMessage() : done.cause().toString()));
            }
        });
    }
}
