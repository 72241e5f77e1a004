package org.vxpool.admin.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;

/**
 * One {@code SHOW pool_nodes} row as JSON, pgpool 4.3's column names, plus the node's health-check
 * statistics under {@code health_check} and its {@code SHOW pool_backend_stats} counts under
 * {@code backend_stats}.
 */
final class NodeRows {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    /** The labels of the proxy's {@code CommandKind} and {@code ErrorSeverity}, in pgpool's column order. */
    private static final String[] COMMAND_KINDS = {"select", "insert", "update", "delete", "ddl", "other"};
    private static final String[] SEVERITIES = {"panic", "fatal", "error"};

    private NodeRows() {
    }

    static JsonArray all(ClusterView view, JsonObject healthStats) {
        JsonArray rows = new JsonArray();
        view.nodes().forEach(n -> rows.add(row(view, n, healthStats)));
        return rows;
    }

    static JsonObject row(ClusterView view, BackendNode node, JsonObject healthStats) {
        JsonObject health = healthOf(node.id(), healthStats);
        double total = view.nodes().stream().mapToDouble(BackendNode::weight).sum();
        // As SHOW pool_nodes prints it: the Active node's sr_check measurement, standbys only.
        boolean standby = node.role() == NodeRole.STANDBY;
        JsonObject lag = lagOf(node.id(), healthStats);
        JsonObject seen = backendOf(node.id(), healthStats);
        return new JsonObject()
                .put("node_id", node.id())
                .put("hostname", node.host())
                .put("port", node.port())
                .put("status", node.status().pgpoolName())
                .put("pg_status", seen.getString("pg_status", node.status().pgpoolName()))
                .put("lb_weight", String.format(Locale.ROOT, "%f", total == 0 ? 0 : node.weight() / total))
                .put("role", node.role().word())
                .put("pg_role", seen.getString("pg_role", node.role().word()))
                .put("select_cnt", selects(node.id(), healthStats))
                .put("load_balance_node", false)
                .put("replication_delay", standby ? lag.getLong("delayBytes", 0L) : 0L)
                .put("replication_state", standby ? lag.getString("state", "") : "")
                .put("replication_sync_state", standby ? lag.getString("syncState", "") : "")
                .put("last_status_change", node.lastStatusChange() <= 0 ? "" : TIME.format(Instant.ofEpochMilli(node.lastStatusChange())))
                .put("health_check", health)
                .put("backend_stats", backendStats(node.id(), healthStats));
    }

    /**
     * The node's SHOW pool_backend_stats counts as this node's proxies show them, by column name
     * (select_cnt … error_cnt; this select_cnt counts SELECT commands completed, not reads routed);
     * all 0 when the proxy is stopped or saw nothing of the node.
     */
    private static JsonObject backendStats(int id, JsonObject stats) {
        JsonObject all = stats == null ? null : stats.getJsonObject("backends");
        JsonObject mine = all == null ? null : all.getJsonObject(Integer.toString(id));
        JsonObject commands = mine == null ? new JsonObject() : mine.getJsonObject("commands", new JsonObject());
        JsonObject errors = mine == null ? new JsonObject() : mine.getJsonObject("errors", new JsonObject());
        JsonObject out = new JsonObject();
        for (String kind : COMMAND_KINDS) {
            out.put(kind + "_cnt", commands.getLong(kind, 0L));
        }
        for (String severity : SEVERITIES) {
            out.put(severity + "_cnt", errors.getLong(severity, 0L));
        }
        return out;
    }

    /** The watchdog's pg_status and pg_role for the node, as SHOW pool_nodes prints them; empty without a watchdog. */
    private static JsonObject backendOf(int id, JsonObject stats) {
        JsonObject all = stats == null ? null : stats.getJsonObject("backend");
        JsonObject mine = all == null ? null : all.getJsonObject(Integer.toString(id));
        return mine == null ? new JsonObject() : mine;
    }

    private static JsonObject lagOf(int id, JsonObject stats) {
        JsonObject all = stats == null ? null : stats.getJsonObject("lag");
        JsonObject mine = all == null ? null : all.getJsonObject(Integer.toString(id));
        return mine == null ? new JsonObject() : mine;
    }

    /** Reads this node's proxies routed to the node: SHOW pool_nodes' select_cnt as this node shows it. */
    private static long selects(int id, JsonObject stats) {
        JsonObject queries = stats == null ? null : stats.getJsonObject("queries");
        JsonObject mine = queries == null ? null : queries.getJsonObject(Integer.toString(id));
        return mine == null ? 0 : mine.getLong("read", 0L);
    }

    /** The node's pool_health_check_stats row as an object; empty when none came. */
    private static JsonObject healthOf(int id, JsonObject stats) {
        JsonObject out = new JsonObject();
        if (stats == null) {
            return out;
        }
        JsonArray columns = stats.getJsonArray("columns", new JsonArray());
        for (Object r : stats.getJsonArray("rows", new JsonArray())) {
            JsonArray row = (JsonArray) r;
            if (String.valueOf(id).equals(String.valueOf(row.getValue(0)))) {
                for (int i = 0; i < columns.size() && i < row.size(); i++) {
                    out.put(columns.getString(i), row.getValue(i));
                }
            }
        }
        return out;
    }
}
