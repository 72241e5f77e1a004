package org.vxpool.proxy.show;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.vxpool.common.Addresses;

/** {@code SHOW pool_health_check_stats}: the watchdog's table from {@link Addresses#HEALTH_STATS}, as is. */
final class PoolHealthCheckStats implements ShowCommand {
    private final io.vertx.core.Vertx vertx;

    PoolHealthCheckStats(io.vertx.core.Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public Future<ShowResult> run(ShowContext ctx) {
        return vertx.eventBus().<JsonObject>request(Addresses.HEALTH_STATS, new JsonObject(),
                        new DeliveryOptions().setSendTimeout(3000).setLocalOnly(true))
                .map(m -> toResult(m.body()))
                .otherwise(e -> new ShowResult(List.of("node_id"), List.of()));
    }

    private static ShowResult toResult(JsonObject body) {
        List<String> columns = new ArrayList<>();
        body.getJsonArray("columns", new JsonArray()).forEach(c -> columns.add(String.valueOf(c)));
        List<List<String>> rows = new ArrayList<>();
        for (Object r : body.getJsonArray("rows", new JsonArray())) {
            List<String> row = new ArrayList<>();
            ((JsonArray) r).forEach(v -> row.add(v == null ? null : String.valueOf(v)));
            rows.add(row);
        }
        return new ShowResult(columns, rows);
    }
}
