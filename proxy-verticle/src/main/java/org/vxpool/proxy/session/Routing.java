package org.vxpool.proxy.session;

import java.util.Optional;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;

/** Where a new session is anchored: its first backend connection, where its writes go. */
public final class Routing {
    private Routing() {
    }

    /** The primary, when a view names one that is up. */
    public static Optional<BackendNode> sessionNode(ClusterView view) {
        return view == null ? Optional.empty() : view.primary();
    }

    /**
     * Without a primary: the node pgpool-II calls its main node, the lowest-numbered one that is
     * up. A session anchored there reads; its writes fail as the standby fails them.
     */
    public static Optional<BackendNode> readOnlyNode(ClusterView view) {
        if (view == null) {
            return Optional.empty();
        }
        for (BackendNode n : view.nodes()) {
            if (n.routable()) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }
}
