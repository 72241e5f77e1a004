package org.vxpool.admin.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.vxpool.admin.PoolControl;
import org.vxpool.common.Addresses;

/**
 * {@code GET /api/v1/events}: Server-Sent Events for the console. Event {@code nodes} carries the
 * {@code /api/v1/nodes} array, {@code watchdog} the {@code /api/v1/watchdog} object and {@code pool}
 * this node's pool state. Each is sent when the stream opens, on every published view or watchdog
 * change, after a pool stop/start, and when a periodic re-read (health-check counters) differs.
 * Event {@code sessions} carries {@code /api/v1/sessions}, sent like {@code nodes}.
 * Event {@code recovery} carries an online recovery's progress object (docs/RECOVERY.md) on every
 * stage change, from whichever node runs it; a new stream first gets the latest one per node.
 * When the nodes, the sessions or the watchdog cannot be read (the pool is stopped,
 * {@code use_watchdog = off}), {@code nodes-error}, {@code sessions-error} or {@code watchdog-error} carries {@code {"error": reason}} instead, so a
 * console never keeps showing the last rows as if they were current.
 * All listeners live on the admin verticle's event loop, so the set needs no locking.
 */
public final class EventsApi {
    private static final long REFRESH_MS = 2_000;

    private final Vertx vertx;
    private final Sources sources;
    private final Supplier<JsonObject> poolStatus;
    private final SessionsApi sessions;
    private final Set<HttpServerResponse> open = new LinkedHashSet<>();
    /** The last event sent per refreshed part (nodes, sessions), so only changes are sent. */
    private final Map<String, String> last = new HashMap<>();

    public EventsApi(Vertx vertx, Sources sources, Supplier<JsonObject> poolStatus, SessionsApi sessions) {
        this.vertx = vertx;
        this.sources = sources;
        this.poolStatus = poolStatus;
        this.sessions = sessions;
    }

    public void routes(Router api) {
        api.get("/events").handler(this::subscribe);
    }

    /** Listens to the local publishes; call once from the verticle's start. */
    public void start() {
        vertx.eventBus().<JsonObject>localConsumer(Addresses.CLUSTER_VIEW, m -> push(nodesEvent(), true));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.WATCHDOG_INFO, m -> broadcast("watchdog", m.body().encode()));
        // Clustered: the Active node publishes it, and only a clustered consumer draws it to this JVM.
        vertx.eventBus().<JsonObject>consumer(Addresses.RECOVERY_PROGRESS, m -> broadcast("recovery", m.body().encode()));
        vertx.setPeriodic(REFRESH_MS, id -> {
            if (!open.isEmpty()) {
                push(nodesEvent(), false);
                push(sessionsEvent(), false);
            }
        });
    }

    /** After a pool stop or start: the pool state, and the nodes and watchdog as they now read. */
    public void poolChanged() {
        broadcast("pool", poolStatus.get().encode());
        push(nodesEvent(), true);
        push(sessionsEvent(), true);
        watchdogEvent().onSuccess(e -> broadcast(e.name(), e.data()));
    }

    private void subscribe(RoutingContext ctx) {
        HttpServerResponse response = Sse.open(ctx);
        open.add(response);
        response.closeHandler(v -> open.remove(response));
        Sse.send(response, "pool", poolStatus.get().encode());
        nodesEvent().onSuccess(e -> Sse.send(response, e.name(), e.data()));
        sessionsEvent().onSuccess(e -> Sse.send(response, e.name(), e.data()));
        watchdogEvent().onSuccess(e -> Sse.send(response, e.name(), e.data()));
        sources.recoveryStatus().onSuccess(status -> status.getJsonArray("recoveries", new JsonArray())
                .forEach(p -> Sse.send(response, "recovery", ((JsonObject) p).encode())));
    }

    private void push(Future<Event> event, boolean always) {
        event.onSuccess(e -> {
            String part = e.name().replace("-error", "");
            String text = e.name() + '\n' + e.data();
            if (always || !text.equals(last.get(part))) {
                last.put(part, text);
                broadcast(e.name(), e.data());
            }
        });
    }

    private Future<Event> sessionsEvent() {
        return sessions.read().map(s -> new Event("sessions", s.encode()))
                .otherwise(e -> Event.error("sessions-error", sessions.problem(e)));
    }

    private Future<Event> nodesEvent() {
        return sources.view().compose(view -> sources.nodeStats().map(h -> NodeRows.all(view, h))
                        .otherwise(NodeRows.all(view, null)))
                .map(rows -> new Event("nodes", rows.encode()))
                .otherwise(e -> Event.error("nodes-error", nodesProblem(e)));
    }

    private Future<Event> watchdogEvent() {
        return sources.watchdogInfo().map(info -> new Event("watchdog", info.encode()))
                .otherwise(e -> Event.error("watchdog-error", PoolApi.watchdogProblem(e, poolState())));
    }

    private String nodesProblem(Throwable e) {
        PoolControl.State state = poolState();
        if (state != PoolControl.State.RUNNING) {
            return "the pool is " + state.name().toLowerCase() + " on this node";
        }
        if (e instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
            return "the watchdog did not answer in time";
        }
        return Replies.noHandlers(e) ? "the watchdog is not running on this node" : "the watchdog failed: " + e.getMessage();
    }

    private PoolControl.State poolState() {
        return PoolControl.State.valueOf(poolStatus.get().getString("state"));
    }

    private void broadcast(String event, String data) {
        for (HttpServerResponse response : Set.copyOf(open)) {
            Sse.send(response, event, data);
        }
    }

    private record Event(String name, String data) {
        static Event error(String name, String reason) {
            return new Event(name, new JsonObject().put("error", reason).encode());
        }
    }
}
