package org.vxpool.admin.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.vxpool.common.Addresses;
import org.vxpool.common.model.ClusterView;

/** The local verticles' read-only answers the admin API is built from. */
public final class Sources {

    private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(5_000);

    private final Vertx vertx;

    public Sources(Vertx vertx) {
        this.vertx = vertx;
    }

    /** The watchdog's current backend view. */
    public Future<ClusterView> view() {
        return viewJson().map(ClusterView::fromJson);
    }

    /** The same, as the watchdog sent it. */
    public Future<JsonObject> viewJson() {
        return ask(Addresses.CLUSTER_VIEW_GET);
    }

    /** pgpool's SHOW pool_health_check_stats as {@code {"columns": [...], "rows": [[...]]}}. */
    public Future<JsonObject> healthStats() {
        return ask(Addresses.HEALTH_STATS);
    }

    /**
     * What a node row needs besides the view: the health-check statistics, with this node's
     * proxies' statement counts, pool_backend_stats counts and newest replication lag
     * ({@code PROXY_STATS}' {@code queries}, {@code backends} and {@code lag}) added under the same
     * names when the proxies answer.
     */
    public Future<JsonObject> nodeStats() {
        return healthStats().compose(h -> proxyStats()
                .map(p -> h.copy().put("queries", p.getJsonObject("queries", new JsonObject()))
                        .put("backends", p.getJsonObject("backends", new JsonObject()))
                        .put("lag", p.getJsonObject("lag", new JsonObject())))
                .otherwise(h));
    }

    /** pcp_watchdog_info -v content; fails with no handlers when use_watchdog is off. */
    public Future<JsonObject> watchdogInfo() {
        return ask(Addresses.WATCHDOG_INFO_GET);
    }

    /** Sessions and pools of this node's proxies; fails with no handlers when they are not running. */
    public Future<JsonObject> proxyStats() {
        return ask(Addresses.PROXY_STATS);
    }

    /** {@code {"running": bool, "recoveries": [latest progress per node]}}; see docs/RECOVERY.md. */
    public Future<JsonObject> recoveryStatus() {
        return ask(Addresses.RECOVERY_STATUS);
    }

    private Future<JsonObject> ask(String address) {
        return vertx.eventBus().<JsonObject>request(address, new JsonObject(), QUICK).map(m -> m.body());
    }
}
