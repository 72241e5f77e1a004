package org.vxpool.launcher;

import java.util.List;

/**
 * What the launcher needs from the watchdog settings to form the Hazelcast cluster.
 *
 * @param clusterName Hazelcast cluster name; nodes with different names never join
 * @param host this node's watchdog host (name or address), where Hazelcast and the event bus bind
 * @param port this node's {@code wd_port}
 * @param members every configured watchdog member as {@code host:wdPort}, this node included
 * @param heartbeatIntervalSeconds from {@code wd_interval}
 * @param heartbeatDeadtimeSeconds from {@code wd_heartbeat_deadtime}
 */
public record ClusterSettings(
        String clusterName,
        String host,
        int port,
        List<String> members,
        int heartbeatIntervalSeconds,
        int heartbeatDeadtimeSeconds) {

    public ClusterSettings {
        members = List.copyOf(members);
    }
}
