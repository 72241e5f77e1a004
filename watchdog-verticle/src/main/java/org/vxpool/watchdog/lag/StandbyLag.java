package org.vxpool.watchdog.lag;

import io.vertx.core.json.JsonObject;

/**
 * One standby's lag as published on {@code Addresses.REPLICATION_LAG}.
 *
 * @param delayBytes primary's current WAL position minus the standby's replay position (never negative)
 * @param delayMs {@code pg_stat_replication.replay_lag}, 0 when idle or unknown
 * @param state {@code pg_stat_replication.state} ("streaming"...), "" when not found
 * @param syncState {@code sync_state} ("async", "sync", "potential", "quorum"), "" when not found
 */
public record StandbyLag(long delayBytes, long delayMs, String state, String syncState) {

    public JsonObject toJson() {
        return new JsonObject().put("delayBytes", delayBytes).put("delayMs", delayMs).put("state", state)
                .put("syncState", syncState);
    }
}
