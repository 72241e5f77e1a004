package org.vxpool.admin.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.vxpool.admin.api.Sources;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;

/**
 * {@code GET /metrics}: Vert.x's own meters (when the launcher enabled Micrometer) plus vxpool's
 * gauges, refreshed from the local verticles on every scrape so they are never older than the
 * scrape itself.
 */
public final class PoolMetrics {
    private static final String[] WATCHDOG_STATES = {"LOADING", "JOINING", "STANDBY", "LEADER", "LOST_QUORUM",
            "IN_NETWORK_TROUBLE", "SHUTDOWN"};
    private static final String QUERIES_HELP = "statements routed to the node, by kind (read, write, other)";
    private static final String COMMANDS_HELP = "commands the node completed for clients, by pgpool's SHOW pool_backend_stats "
            + "class (select, insert, update, delete, ddl, other)";
    private static final String ERRORS_HELP = "ErrorResponses the node sent for clients' statements, by severity (panic, fatal, error)";
    private static final String[] POOL_STATES = {"connecting", "authenticating", "idle", "active", "resetting"};

    private final PrometheusMeterRegistry registry;
    private final Sources sources;
    private final Map<String, double[]> values = new ConcurrentHashMap<>();
    private final Counter failovers;
    private ClusterView lastView;

    public PoolMetrics(Sources sources) {
        this.sources = sources;
        this.registry = registry();
        this.failovers = Counter.builder("vxpool_failovers").description("nodes that went down, seen by this node")
                .register(registry);
    }

    /** What the launcher gives {@code VertxOptions.setMetricsOptions}: Micrometer with Prometheus. */
    public static MicrometerMetricsOptions vertxOptions() {
        return new MicrometerMetricsOptions()
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
                .setJvmMetricsEnabled(true)
                .setEnabled(true);
    }

    /** Vert.x's registry when metrics are on; otherwise one of our own with vxpool's meters only. */
    private static PrometheusMeterRegistry registry() {
        MeterRegistry running = BackendRegistries.getDefaultNow();
        return running instanceof PrometheusMeterRegistry prometheus ? prometheus
                : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /**
     * Takes the watchdog's current view as the one the next publish is compared with. Without it,
     * the first view published after this node's admin API started (the launcher starts it after
     * the watchdog, whose view is settled by then) only became the reference, so a detach or
     * failover was not counted. Completes either way: the watchdog may not run (yet).
     */
    public Future<Void> seed() {
        return sources.view().onSuccess(this::seen).<Void>mapEmpty().otherwiseEmpty();
    }

    private void seen(ClusterView view) {
        if (lastView == null) {
            lastView = view;
        }
    }

    /** A published view: counts nodes that went from routable to down since the previous one. */
    public void viewPublished(ClusterView view) {
        if (lastView != null && view.epoch() > lastView.epoch() && view.nodes().size() == lastView.nodes().size()) {
            for (BackendNode n : view.nodes()) {
                if (lastView.node(n.id()).routable() && n.status() == org.vxpool.common.model.NodeStatus.DOWN) {
                    failovers.increment();
                }
            }
        }
        if (lastView == null || view.epoch() >= lastView.epoch()) {
            lastView = view;
        }
    }

    public void scrape(RoutingContext ctx) {
        Future<JsonObject> proxy = sources.proxyStats().onSuccess(this::proxy);
        Future<ClusterView> view = sources.view().onSuccess(this::nodes);
        Future<JsonObject> health = sources.healthStats().onSuccess(this::health);
        Future<JsonObject> watchdog = sources.watchdogInfo().onSuccess(this::watchdog).onFailure(this::watchdogGone);
        Future.join(proxy, view, health, watchdog).onComplete(done -> {
            set("vxpool_proxy_running", Tags.empty(), proxy.succeeded() ? 1 : 0);
            set("vxpool_watchdog_running", Tags.empty(), view.succeeded() ? 1 : 0);
            ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
        });
    }

    private void proxy(JsonObject stats) {
        set("vxpool_clients", Tags.empty(), stats.getInteger("clients", 0));
        stats.getJsonObject("sessions", new JsonObject())
                .forEach(e -> set("vxpool_client_sessions", Tags.of("state", e.getKey()), ((Number) e.getValue()).doubleValue()));
        Map<String, double[]> byNodeState = new java.util.HashMap<>();
        for (Object o : stats.getJsonArray("pools", new JsonArray())) {
            JsonObject pool = (JsonObject) o;
            for (String state : POOL_STATES) {
                byNodeState.computeIfAbsent(pool.getValue("node") + "/" + state, k -> new double[1])[0] += pool.getInteger(state, 0);
            }
        }
        byNodeState.forEach((key, v) -> {
            String[] parts = key.split("/");
            set("vxpool_backend_connections", Tags.of("node", parts[0], "state", parts[1]), v[0]);
        });
        JsonObject lag = stats.getJsonObject("lag", new JsonObject());
        for (String node : lag.fieldNames()) {
            JsonObject l = lag.getJsonObject(node);
            set("vxpool_replication_delay_bytes", Tags.of("node", node), l.getLong("delayBytes", 0L));
            set("vxpool_replication_delay_ms", Tags.of("node", node), l.getLong("delayMs", 0L));
        }
        JsonObject queries = stats.getJsonObject("queries", new JsonObject());
        for (String node : queries.fieldNames()) {
            queries.getJsonObject(node).forEach(e -> count("vxpool_queries", QUERIES_HELP, Tags.of("node", node, "kind", e.getKey()),
                    ((Number) e.getValue()).doubleValue()));
        }
        JsonObject backends = stats.getJsonObject("backends", new JsonObject());
        for (String node : backends.fieldNames()) {
            JsonObject b = backends.getJsonObject(node);
            b.getJsonObject("commands", new JsonObject()).forEach(e -> count("vxpool_backend_commands", COMMANDS_HELP,
                    Tags.of("node", node, "kind", e.getKey()), ((Number) e.getValue()).doubleValue()));
            b.getJsonObject("errors", new JsonObject()).forEach(e -> count("vxpool_backend_errors", ERRORS_HELP,
                    Tags.of("node", node, "severity", e.getKey()), ((Number) e.getValue()).doubleValue()));
        }
    }

    private void nodes(ClusterView view) {
        // a watchdog started after the admin API (pool start) is first seen here
        seen(view);
        for (BackendNode n : view.nodes()) {
            Tags tags = Tags.of("node", Integer.toString(n.id()));
            set("vxpool_backend_up", tags, n.routable() ? 1 : 0);
            set("vxpool_backend_primary", tags, n.isPrimary() ? 1 : 0);
            set("vxpool_backend_weight", tags, n.weight());
        }
        set("vxpool_cluster_view_epoch", Tags.empty(), view.epoch());
    }

    private void health(JsonObject stats) {
        JsonArray columns = stats.getJsonArray("columns", new JsonArray());
        for (Object r : stats.getJsonArray("rows", new JsonArray())) {
            JsonArray row = (JsonArray) r;
            Tags tags = Tags.of("node", String.valueOf(row.getValue(0)));
            number(columns, row, "total_count").ifPresent(v -> set("vxpool_health_checks", tags, v));
            number(columns, row, "fail_count").ifPresent(v -> set("vxpool_health_check_failures", tags, v));
            number(columns, row, "retry_count").ifPresent(v -> set("vxpool_health_check_retries", tags, v));
            number(columns, row, "average_duration").ifPresent(v -> set("vxpool_health_check_duration_avg_ms", tags, v));
            number(columns, row, "max_duration").ifPresent(v -> set("vxpool_health_check_duration_max_ms", tags, v));
        }
    }

    private static java.util.Optional<Double> number(JsonArray columns, JsonArray row, String column) {
        int i = columns.getList().indexOf(column);
        try {
            return i < 0 || i >= row.size() ? java.util.Optional.empty()
                    : java.util.Optional.of(Double.parseDouble(String.valueOf(row.getValue(i))));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Nothing serves the watchdog's address here any more (pool stopped): the gauges say what the
     * other members see, SHUTDOWN without quorum or VIP, instead of the last scrape's values. A
     * node whose watchdog never answered (use_watchdog = off) keeps having no watchdog gauges.
     */
    private void watchdogGone(Throwable cause) {
        boolean noHandlers = cause instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS;
        if (noHandlers && values.containsKey("vxpool_watchdog_state" + Tags.of("state", "SHUTDOWN"))) {
            watchdog(new JsonObject().put("localState", "SHUTDOWN").put("quorumState", "QUORUM ABSENT"));
        }
    }

    private void watchdog(JsonObject info) {
        String state = info.getString("localState", "");
        for (String s : WATCHDOG_STATES) {
            set("vxpool_watchdog_state", Tags.of("state", s), s.equals(state) ? 1 : 0);
        }
        set("vxpool_watchdog_quorum", Tags.empty(), "QUORUM ABSENT".equals(info.getString("quorumState")) ? 0 : 1);
        set("vxpool_watchdog_vip_up", Tags.empty(), info.getBoolean("vipUpOnLocalNode", false) ? 1 : 0);
        set("vxpool_watchdog_alive_remote_nodes", Tags.empty(), info.getInteger("aliveRemoteNodes", 0));
    }

    /**
     * A counter kept by the proxy (it counts on its hot path with a plain adder); registered on
     * first sight, its value copied on each scrape. Prometheus shows it as {@code name_total}.
     */
    private void count(String name, String description, Tags tags, double value) {
        String key = name + tags;
        double[] slot = values.computeIfAbsent(key, k -> {
            double[] fresh = new double[1];
            FunctionCounter.builder(name, fresh, a -> a[0]).tags(tags).description(description).register(registry);
            return fresh;
        });
        slot[0] = value;
    }

    /** Registers the gauge on first use; its value lives in a one-slot array this class keeps. */
    private void set(String name, Tags tags, double value) {
        String key = name + tags;
        double[] slot = values.computeIfAbsent(key, k -> {
            double[] fresh = new double[1];
            Gauge.builder(name, fresh, a -> a[0]).tags(tags).register(registry);
            return fresh;
        });
        slot[0] = value;
    }
}
