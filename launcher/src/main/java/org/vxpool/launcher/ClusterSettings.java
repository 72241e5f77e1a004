package org.vxpool.launcher;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.config.WatchdogConfig;
import org.vxpool.common.config.WatchdogMember;

/**
 * What the launcher needs from the watchdog settings to form the Hazelcast cluster.
 *
 * @param clusterName Hazelcast cluster name; nodes with different names never join
 * @param host this node's watchdog host (name or address), where Hazelcast and the event bus bind
 * @param port this node's {@code wd_port}
 * @param members every configured watchdog member as {@code host:wdPort}, this node included
 * @param heartbeatIntervalSeconds from {@code wd_interval}
 * @param heartbeatDeadtimeSeconds from {@code wd_heartbeat_deadtime}
 * @param eventBus the event bus's address, port and TLS
 */
public record ClusterSettings(
        String clusterName,
        String host,
        int port,
        List<String> members,
        int heartbeatIntervalSeconds,
        int heartbeatDeadtimeSeconds,
        EventBusSettings eventBus) {

    /** The cluster name of nodes without {@code wd_authkey}. */
    public static final String CLUSTER_NAME = "vxpool";

    public ClusterSettings {
        members = List.copyOf(members);
    }

    /** With the event bus as before its settings existed: watchdog host, any port, no TLS. */
    public ClusterSettings(String clusterName, String host, int port, List<String> members,
            int heartbeatIntervalSeconds, int heartbeatDeadtimeSeconds) {
        this(clusterName, host, port, members, heartbeatIntervalSeconds, heartbeatDeadtimeSeconds,
                EventBusSettings.DEFAULT);
    }

    /** The same cluster with another event bus. */
    public ClusterSettings withEventBus(EventBusSettings settings) {
        return new ClusterSettings(clusterName, host, port, members, heartbeatIntervalSeconds,
                heartbeatDeadtimeSeconds, settings);
    }

    /** Empty when {@code use_watchdog = off}: the node runs without a cluster. */
    public static Optional<ClusterSettings> from(PoolConfig config) {
        WatchdogConfig watchdog = config.watchdog();
        if (!watchdog.enabled()) {
            return Optional.empty();
        }
        WatchdogMember self = watchdog.self();
        return Optional.of(new ClusterSettings(
                clusterName(config.get(Params.WD_AUTHKEY)),
                self.host(),
                self.wdPort(),
                watchdog.members().stream().map(WatchdogMember::wdAddress).toList(),
                config.get(Params.WD_INTERVAL),
                config.get(Params.WD_HEARTBEAT_DEADTIME),
                EventBusSettings.from(config)));
    }

    /**
     * Open-source Hazelcast has no member authentication, so {@code wd_authkey} at least keeps
     * nodes with different keys in different clusters. It is hashed because Hazelcast logs the
     * cluster name.
     */
    static String clusterName(String authKey) {
        if (authKey.isEmpty()) {
            return CLUSTER_NAME;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(authKey.getBytes(StandardCharsets.UTF_8));
            return CLUSTER_NAME + "-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
