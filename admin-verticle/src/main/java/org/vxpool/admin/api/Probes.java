package org.vxpool.admin.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.vxpool.admin.PoolControl;
import org.vxpool.common.model.ClusterView;

/**
 * {@code GET /ready} and {@code GET /active}: what a load balancer probes. Both are open and answer
 * 200 or 503 with {@code {"ready"|"active": bool, "reason": ...}}.
 */
public final class Probes {

    private final Sources sources;
    private final PoolControl pool;
    private final boolean watchdogOn;

    /** @param watchdogOn use_watchdog: without it the node is alone and Active whenever its watchdog runs */
    public Probes(Sources sources, PoolControl pool, boolean watchdogOn) {
        this.sources = sources;
        this.pool = pool;
        this.watchdogOn = watchdogOn;
    }

    public void routes(Router router) {
        router.get("/ready").handler(this::ready);
        router.get("/active").handler(this::active);
    }

    private void ready(RoutingContext ctx) {
        if (pool.status() != PoolControl.State.RUNNING) {
            answer(ctx, "ready", false, "the pool is " + pool.status().name().toLowerCase());
            return;
        }
        sources.proxyStats().transform(stats -> {
            if (stats.failed()) {
                return Future.succeededFuture("the proxy is not accepting clients");
            }
            return sources.view().transform(view -> Future.succeededFuture(view.failed()
                    ? "the watchdog has no backend view" : primaryProblem(view.result())));
        }).onSuccess(problem -> answer(ctx, "ready", problem == null, problem));
    }

    private static String primaryProblem(ClusterView view) {
        return view.primary().isPresent() ? null : "no primary node is known";
    }

    private void active(RoutingContext ctx) {
        if (!watchdogOn) {
            sources.view().onComplete(view -> answer(ctx, "active", view.succeeded(),
                    view.succeeded() ? null : "the watchdog is not running on this node"));
            return;
        }
        sources.watchdogInfo().onComplete(info -> {
            if (info.failed()) {
                answer(ctx, "active", false, "the watchdog is not running on this node");
                return;
            }
            String state = info.result().getString("localState", "");
            answer(ctx, "active", "LEADER".equals(state), "this node is " + state
                    + "; the leader is " + info.result().getString("leaderNodeName", "unknown"));
        });
    }

    private static void answer(RoutingContext ctx, String what, boolean ok, String reason) {
        JsonObject body = new JsonObject().put(what, ok);
        if (!ok || reason != null) {
            body.put("reason", reason);
        }
        Replies.json(ctx, ok ? 200 : 503, body);
    }
}
