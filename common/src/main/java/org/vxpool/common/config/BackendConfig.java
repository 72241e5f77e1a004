package org.vxpool.common.config;

import java.util.Set;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;

/**
 * One configured backend ({@code backend_*N}).
 *
 * @param dataDirectory '' when not configured (only failover and recovery scripts need it)
 * @param applicationName '' when not configured; the walreceiver's application_name
 */
public record BackendConfig(
        int id,
        String host,
        int port,
        double weight,
        String dataDirectory,
        Set<BackendFlag> flags,
        String applicationName) {

    public BackendConfig {
        flags = Set.copyOf(flags);
    }

    /** DISALLOW_TO_FAILOVER is not set. */
    public boolean allowToFailover() {
        return !flags.contains(BackendFlag.DISALLOW_TO_FAILOVER);
    }

    public boolean alwaysPrimary() {
        return flags.contains(BackendFlag.ALWAYS_PRIMARY);
    }

    /** The node as the cluster sees it before any check: waiting, role unknown. */
    public BackendNode toInitialNode(long now) {
        return new BackendNode(id, host, port, weight, NodeStatus.WAITING, NodeRole.UNKNOWN, now);
    }
}
