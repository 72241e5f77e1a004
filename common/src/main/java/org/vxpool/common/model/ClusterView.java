package org.vxpool.common.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An immutable snapshot of every backend's state, stamped with the epoch of the Active node that
 * wrote it. Proxies route by the newest snapshot they received and never query shared state on
 * the hot path; a snapshot with a lower epoch than the one held is stale and ignored.
 *
 * @param epoch monotonically increasing; every escalation and every state change takes a new one
 * @param nodes indexed by backend id ({@code nodes.get(i).id() == i})
 */
public record ClusterView(long epoch, List<BackendNode> nodes) {

    public ClusterView {
        nodes = List.copyOf(nodes);
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).id() != i) {
                throw new IllegalArgumentException("node at index " + i + " has id " + nodes.get(i).id());
            }
        }
    }

    public BackendNode node(int id) {
        return nodes.get(id);
    }

    public Optional<BackendNode> primary() {
        return nodes.stream().filter(n -> n.isPrimary() && n.routable()).findFirst();
    }

    /** A copy with one node replaced and a new epoch. */
    public ClusterView with(BackendNode changed, long newEpoch) {
        List<BackendNode> copy = new ArrayList<>(nodes);
        copy.set(changed.id(), changed);
        return new ClusterView(newEpoch, copy);
    }

    public boolean isNewerThan(ClusterView other) {
        return other == null || epoch > other.epoch;
    }

    public JsonObject toJson() {
        JsonArray arr = new JsonArray();
        nodes.forEach(n -> arr.add(n.toJson()));
        return new JsonObject().put("epoch", epoch).put("nodes", arr);
    }

    public static ClusterView fromJson(JsonObject json) {
        List<BackendNode> list = new ArrayList<>();
        for (Object o : json.getJsonArray("nodes")) {
            list.add(BackendNode.fromJson((JsonObject) o));
        }
        return new ClusterView(json.getLong("epoch"), list);
    }
}
