package org.vxpool.proxy.routing;

import java.util.ArrayList;
import java.util.List;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;

/** Cluster views for router tests. */
final class Clusters {

    private Clusters() {
    }

    /** Node 0 primary, the rest standbys, all up, with the given weights. */
    static ClusterView weights(double... weights) {
        List<BackendNode> nodes = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            nodes.add(new BackendNode(i, "127.0.0.1", 5432 + i, weights[i], NodeStatus.UP,
                    i == 0 ? NodeRole.PRIMARY : NodeRole.STANDBY, 0));
        }
        return new ClusterView(1, nodes);
    }

    /** Primary 0 and standbys 1, 2, weight 1 each. */
    static ClusterView threeNodes() {
        return weights(1, 1, 1);
    }

    static ClusterView withStatus(ClusterView view, int node, NodeStatus status) {
        return view.with(view.node(node).withStatus(status, 1), view.epoch() + 1);
    }

    static ClusterView withRole(ClusterView view, int node, NodeRole role) {
        return view.with(view.node(node).withRole(role, 1), view.epoch() + 1);
    }
}
