package org.vxpool.proxy.session;

import java.util.Optional;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;

/** Where a session's statements go. Until load balancing lands, always the primary. */
public final class Routing {
    private Routing() {
    }

    public static Optional<BackendNode> sessionNode(ClusterView view) {
        return view == null ? Optional.empty() : view.primary();
    }
}
