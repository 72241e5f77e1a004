package org.vxpool.watchdog.lag;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.watchdog.health.PgProbe;

/**
 * One measurement round: the primary's WAL position and {@code pg_stat_replication}, then each
 * routable standby's replay position and the application name its WAL receiver uses, which is
 * how a standby is found in {@code pg_stat_replication}. Every query is bounded by
 * {@link PgProbe}'s timeout; a standby that cannot be asked is left out (the router then counts
 * it as not lagging, and the health check decides whether it is up).
 */
public final class LagMeasurer {
    private static final Logger LOG = LoggerFactory.getLogger(LagMeasurer.class);
    static final String PRIMARY_SQL = "SELECT pg_current_wal_lsn()::text AS lsn, "
            + "coalesce((SELECT json_agg(json_build_object('app', application_name, 'state', state, "
            + "'sync', sync_state, 'ms', coalesce(extract(epoch FROM replay_lag) * 1000, 0)))::text "
            + "FROM pg_stat_replication), '[]') AS standbys";
    static final String STANDBY_SQL = "SELECT pg_last_wal_replay_lsn()::text AS lsn, "
            + "coalesce((SELECT substring(conninfo FROM 'application_name=([^ ]+)') FROM pg_stat_wal_receiver), "
            + "current_setting('cluster_name'), '') AS app";

    private final Vertx vertx;
    private final LagSettings settings;

    public LagMeasurer(Vertx vertx, LagSettings settings) {
        this.vertx = vertx;
        this.settings = settings;
    }

    /** Node id → lag for every standby of {@code view} that answered; empty without a primary. */
    public Future<Map<Integer, StandbyLag>> measure(ClusterView view) {
        Optional<BackendNode> primary = view.primary();
        if (primary.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        return query(primary.get(), PRIMARY_SQL).compose(rows -> {
            Row r = rows.get(0);
            long primaryLsn = Lsn.parse(r.getString("lsn"));
            Map<String, JsonObject> byApp = new HashMap<>();
            new io.vertx.core.json.JsonArray(r.getString("standbys")).forEach(o -> {
                JsonObject j = (JsonObject) o;
                byApp.put(j.getString("app", ""), j);
            });
            List<Future<Map.Entry<Integer, StandbyLag>>> each = new ArrayList<>();
            for (BackendNode n : view.nodes()) {
                if (n.role() == NodeRole.STANDBY && n.routable()) {
                    each.add(standby(n, primaryLsn, byApp));
                }
            }
            return Future.join(each).transform(ar -> {
                Map<Integer, StandbyLag> out = new HashMap<>();
                for (Future<Map.Entry<Integer, StandbyLag>> f : each) {
                    if (f.succeeded()) {
                        out.put(f.result().getKey(), f.result().getValue());
                    }
                }
                return Future.succeededFuture(out);
            });
        });
    }

    private Future<Map.Entry<Integer, StandbyLag>> standby(BackendNode n, long primaryLsn, Map<String, JsonObject> byApp) {
        return query(n, STANDBY_SQL).map(rows -> {
            Row r = rows.get(0);
            String lsn = r.getString("lsn");
            long bytes = lsn == null ? 0 : Math.max(0, primaryLsn - Lsn.parse(lsn));
            JsonObject rep = byApp.getOrDefault(r.getString("app") == null ? "" : r.getString("app"), new JsonObject());
            Number ms = rep.getNumber("ms", 0);
            return Map.entry(n.id(), new StandbyLag(bytes, ms.longValue(), rep.getString("state", ""),
                    rep.getString("sync", "")));
        }).onFailure(e -> LOG.debug("replication lag of node {}: {}", n.id(), e.getMessage()));
    }

    private Future<List<Row>> query(BackendNode n, String sql) {
        PgProbe.Target target = new PgProbe.Target(n.host(), n.port(), settings.user(), settings.password(),
                settings.database(), settings.timeout());
        return PgProbe.query(vertx, target, settings.timeout(), sql);
    }

    static JsonObject toJson(Map<Integer, StandbyLag> lags) {
        JsonObject o = new JsonObject();
        lags.forEach((id, l) -> o.put(String.valueOf(id), l.toJson()));
        return o;
    }

    Duration period() {
        return settings.period();
    }
}
