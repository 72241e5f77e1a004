package org.vxpool.proxy.pool;

import io.vertx.core.json.JsonObject;

/** Connection counts of one pool key on one event loop, for {@code SHOW pool_pools} and the admin API. */
public record PoolStats(int nodeId, String user, String database, int connecting, int authenticating,
                        int idle, int active, int resetting, long created) {

    public PoolStats plus(PoolStats o) {
        return new PoolStats(nodeId, user, database, connecting + o.connecting, authenticating + o.authenticating,
                idle + o.idle, active + o.active, resetting + o.resetting, created + o.created);
    }

    public JsonObject toJson() {
        return new JsonObject().put("node", nodeId).put("user", user).put("database", database)
                .put("connecting", connecting).put("authenticating", authenticating).put("idle", idle)
                .put("active", active).put("resetting", resetting).put("created", created);
    }
}
