package org.vxpool.admin.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.vxpool.common.Addresses;

/**
 * {@code GET /api/v1/events}: Server-Sent Events for the console. Event {@code nodes} carries the
 * {@code /api/v1/nodes} array, {@code watchdog} the {@code /api/v1/watchdog} object and {@code pool}
 * this node's pool state. Each is sent when the stream opens, on every published view or watchdog
 * change, after a pool stop/start, and when a periodic re-read (health-check counters) differs.
 * Event {@code recovery} carries an online recovery's progress object (docs/RECOVERY.md) on every
 * stage change, from whichever node runs it; a new stream first gets the latest one per node.
 * All listeners live on the admin verticle's event loop, so the set needs no locking.
 */
public final class EventsApi {
    private static final long REFRESH_MS = 2_000;

    private final Vertx vertx;
    private final Sources sources;
    private final Supplier<JsonObject> poolStatus;
    private final Set<HttpServerResponse> open = new LinkedHashSet<>();
    private String lastNodes = "";

    public EventsApi(Vertx vertx, Sources sources, Supplier<JsonObject> poolStatus) {
        this.vertx = vertx;
        this.sources = sources;
        this.poolStatus = poolStatus;
    }

    public void routes(Router api) {
        api.get("/events").handler(this::subscribe);
    }

    /** Listens to the local publishes; call once from the verticle's start. */
    public void start() {
        vertx.eventBus().<JsonObject>localConsumer(Addresses.CLUSTER_VIEW, m -> pushNodes(true));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.WATCHDOG_INFO, m -> broadcast("watchdog", m.body().encode()));
        // Clustered: the Active node publishes it, and only a clustered consumer draws it to this JVM.
        vertx.eventBus().<JsonObject>consumer(Addresses.RECOVERY_PROGRESS, m -> broadcast("recovery", m.body().encode()));
        vertx.setPeriodic(REFRESH_MS, id -> {
            if (!open.isEmpty()) {
                pushNodes(false);
            }
        });
    }

    /** After a pool stop or start: the pool state, and the nodes and watchdog as they now read. */
    public void poolChanged() {
        broadcast("pool", poolStatus.get().encode());
        pushNodes(true);
        pushWatchdog(null);
    }

    private void subscribe(RoutingContext ctx) {
        HttpServerResponse response = Sse.open(ctx);
        open.add(response);
        response.closeHandler(v -> open.remove(response));
        Sse.send(response, "pool", poolStatus.get().encode());
        rows()
                .onSuccess(rows -> Sse.send(response, "nodes", rows.encode()));
        pushWatchdog(response);
        sources.recoveryStatus().onSuccess(status -> status.getJsonArray("recoveries", new io.vertx.core.json.JsonArray())
                .forEach(p -> Sse.send(response, "recovery", ((JsonObject) p).encode())));
    }

    private void pushNodes(boolean always) {
        rows()
                .onSuccess(rows -> {
                    String text = rows.encode();
                    if (always || !text.equals(lastNodes)) {
                        lastNodes = text;
                        broadcast("nodes", text);
                    }
                });
    }

    /** @param only one new subscriber, or null for everybody */
    private void pushWatchdog(HttpServerResponse only) {
        sources.watchdogInfo().onSuccess(info -> {
            if (only == null) {
                broadcast("watchdog", info.encode());
            } else {
                Sse.send(only, "watchdog", info.encode());
            }
        });
    }

    private io.vertx.core.Future<io.vertx.core.json.JsonArray> rows() {
        return sources.view().compose(view -> sources.nodeStats().map(h -> NodeRows.all(view, h))
                .otherwise(NodeRows.all(view, null)));
    }

    private void broadcast(String event, String data) {
        for (HttpServerResponse response : Set.copyOf(open)) {
            Sse.send(response, event, data);
        }
    }
}
