package org.vxpool.watchdog.election;

import io.vertx.core.json.JsonObject;

/**
 * What one watchdog member publishes about itself in the cluster.
 *
 * @param id        Hazelcast member UUID (the key in the shared map)
 * @param name      node name shown to operators, e.g. {@code osspc19:9999}
 * @param startTime when the node started, epoch millis; earlier wins the first election
 * @param epoch     the member's last leadership term (0 = never led)
 * @param witness   a quorum-only member (proxy off): it votes but never leads
 */
public record MemberInfo(String id, String name, String host, int wdPort, int pgpoolPort, int priority,
        WatchdogState state, long startTime, long epoch, boolean holdsVip, boolean witness) {

    /** A member that Hazelcast shows but whose info has not arrived yet. */
    public static MemberInfo unknown(String id, String host, int wdPort) {
        return new MemberInfo(id, "", host, wdPort, 0, 0, WatchdogState.LOADING, Long.MAX_VALUE, 0, false, false);
    }

    public MemberInfo withState(WatchdogState newState, long newEpoch, boolean vip) {
        return new MemberInfo(id, name, host, wdPort, pgpoolPort, priority, newState, startTime, newEpoch, vip, witness);
    }

    public MemberInfo withId(String newId) {
        return new MemberInfo(newId, name, host, wdPort, pgpoolPort, priority, state, startTime, epoch, holdsVip, witness);
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("id", id)
                .put("name", name)
                .put("host", host)
                .put("wdPort", wdPort)
                .put("pgpoolPort", pgpoolPort)
                .put("priority", priority)
                .put("state", state.name())
                .put("startTime", startTime)
                .put("epoch", epoch)
                .put("holdsVip", holdsVip)
                .put("witness", witness);
    }

    public static MemberInfo fromJson(JsonObject json) {
        return new MemberInfo(json.getString("id"), json.getString("name"), json.getString("host"),
                json.getInteger("wdPort", 0), json.getInteger("pgpoolPort", 0), json.getInteger("priority", 0),
                WatchdogState.valueOf(json.getString("state")), json.getLong("startTime", Long.MAX_VALUE),
                json.getLong("epoch", 0L), json.getBoolean("holdsVip", false), json.getBoolean("witness", false));
    }
}
