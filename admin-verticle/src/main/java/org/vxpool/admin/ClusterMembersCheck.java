package org.vxpool.admin;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.ext.healthchecks.Status;
import java.util.List;

/**
 * The health check {@code cluster}: the members this node currently sees. A node started with
 * {@code use_watchdog = off} is a cluster of one.
 *
 * <p>It reads the cluster manager Vert.x runs with, so the admin module needs no Hazelcast API.
 */
final class ClusterMembersCheck {

    static final String NAME = "cluster";

    private final Vertx vertx;

    ClusterMembersCheck(Vertx vertx) {
        this.vertx = vertx;
    }

    void check(Promise<Status> result) {
        ClusterManager manager = ((VertxInternal) vertx).clusterManager();
        if (manager == null) {
            JsonObject self = new JsonObject().put("id", "local").put("self", true);
            result.complete(Status.OK(summary(false, new JsonArray().add(self))));
            return;
        }
        List<String> nodes = manager.getNodes();
        String selfId = manager.getNodeId();
        List<Future<JsonObject>> members = nodes.stream().map(id -> describe(manager, id, selfId)).toList();
        Future.join(members).onComplete(done -> {
            JsonArray array = new JsonArray();
            members.forEach(member -> array.add(member.result()));
            result.complete(Status.OK(summary(true, array)));
        });
    }

    private static JsonObject summary(boolean clustered, JsonArray members) {
        return new JsonObject().put("clustered", clustered).put("size", members.size()).put("members", members);
    }

    /** A member that left between the two calls has no node info any more; it is listed bare. */
    private static Future<JsonObject> describe(ClusterManager manager, String id, String selfId) {
        JsonObject member = new JsonObject().put("id", id).put("self", id.equals(selfId));
        Promise<NodeInfo> info = Promise.promise();
        manager.getNodeInfo(id, info);
        return info.future()
                .map(node -> node == null ? member : member.put("eventBus", node.host() + ":" + node.port()))
                .otherwise(member);
    }
}
