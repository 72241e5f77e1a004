package org.vxpool.proxy.show;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vxpool.common.Addresses;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;

/** {@code SHOW pool_nodes} with pgpool 4.3's 14 columns and formats. */
final class PoolNodes implements ShowCommand {
    static final List<String> COLUMNS = List.of("node_id", "hostname", "port", "status", "pg_status", "lb_weight",
            "role", "pg_role", "select_cnt", "load_balance_node", "replication_delay", "replication_state",
            "replication_sync_state", "last_status_change");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final Vertx vertx;

    PoolNodes(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * pg_status and pg_role are what the watchdog's last health check saw ({@code "backend"} of
     * {@link Addresses#HEALTH_STATS}); without a watchdog here, the view's status and role.
     */
    @Override
    public Future<ShowResult> run(ShowContext ctx) {
        return vertx.eventBus().<JsonObject>request(Addresses.HEALTH_STATS, new JsonObject(),
                        new DeliveryOptions().setSendTimeout(3000).setLocalOnly(true))
                .map(m -> m.body().getJsonObject("backend", new JsonObject()))
                .otherwise(new JsonObject())
                .map(backend -> rows(ctx, backend));
    }

    private static ShowResult rows(ShowContext ctx, JsonObject backend) {
        List<List<String>> rows = new ArrayList<>();
        if (ctx.view() != null) {
            double total = ctx.view().nodes().stream().mapToDouble(BackendNode::weight).sum();
            int lbNode = ctx.session().loadBalanceNode();
            int primary = ctx.view().primary().map(BackendNode::id).orElse(-1);
            JsonObject lag = ctx.runtime().replicationLag();
            for (BackendNode n : ctx.view().nodes()) {
                JsonObject l = lag.getJsonObject(Integer.toString(n.id()), new JsonObject());
                JsonObject seen = backend.getJsonObject(Integer.toString(n.id()), new JsonObject());
                boolean standby = n.role() == NodeRole.STANDBY;
                rows.add(List.of(
                        Integer.toString(n.id()),
                        n.host(),
                        Integer.toString(n.port()),
                        n.status().pgpoolName(),
                        seen.getString("pg_status", n.status() == NodeStatus.DOWN ? "down" : "up"),
                        String.format(Locale.ROOT, "%f", total > 0 ? n.weight() / total : 0.0),
                        n.role().word(),
                        seen.getString("pg_role", n.role().word()),
                        Long.toString(ctx.runtime().selectCount(n.id())),
                        Boolean.toString(n.id() == (lbNode >= 0 ? lbNode : primary)),
                        standby ? Long.toString(l.getLong("delayBytes", 0L)) : "0",
                        standby ? l.getString("state", "") : "",
                        standby ? l.getString("syncState", "") : "",
                        TIME.format(Instant.ofEpochMilli(n.lastStatusChange()))));
            }
        }
        return new ShowResult(COLUMNS, rows);
    }
}
