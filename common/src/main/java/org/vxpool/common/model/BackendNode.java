package org.vxpool.common.model;

import io.vertx.core.json.JsonObject;

/**
 * One backend PostgreSQL server as the cluster sees it: its configured address and weight plus
 * the state the Active node decided. Immutable; a change produces a new value and a new
 * {@link ClusterView}.
 *
 * @param lastStatusChange epoch milliseconds of the last status or role change
 */
public record BackendNode(
        int id,
        String host,
        int port,
        double weight,
        NodeStatus status,
        NodeRole role,
        long lastStatusChange) {

    public BackendNode withStatus(NodeStatus newStatus, long now) {
        return new BackendNode(id, host, port, weight, newStatus, role, now);
    }

    public BackendNode withRole(NodeRole newRole, long now) {
        return new BackendNode(id, host, port, weight, status, newRole, now);
    }

    public boolean isPrimary() {
        return role == NodeRole.PRIMARY;
    }

    public boolean routable() {
        return status.routable();
    }

    /** "host(port)" as pgpool's log lines print a backend. */
    public String hostPort() {
        return host + "(" + port + ")";
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("id", id)
                .put("host", host)
                .put("port", port)
                .put("weight", weight)
                .put("status", status.name())
                .put("role", role.name())
                .put("lastStatusChange", lastStatusChange);
    }

    public static BackendNode fromJson(JsonObject json) {
        return new BackendNode(
                json.getInteger("id"),
                json.getString("host"),
                json.getInteger("port"),
                json.getDouble("weight"),
                NodeStatus.valueOf(json.getString("status")),
                NodeRole.valueOf(json.getString("role")),
                json.getLong("lastStatusChange"));
    }
}
