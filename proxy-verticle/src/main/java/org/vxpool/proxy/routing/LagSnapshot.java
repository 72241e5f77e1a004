package org.vxpool.proxy.routing;

import java.util.Map;

/** Replication lag per backend node id; nodes without a measurement count as not lagging. */
public record LagSnapshot(Map<Integer, ReplicationLag> byNode) {

    public static final LagSnapshot NONE = new LagSnapshot(Map.of());

    public LagSnapshot {
        byNode = Map.copyOf(byNode);
    }

    public ReplicationLag of(int nodeId) {
        return byNode.getOrDefault(nodeId, ReplicationLag.NONE);
    }
}
