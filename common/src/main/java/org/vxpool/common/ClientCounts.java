package org.vxpool.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Client connections open on the proxies of every vxpool node, for pcp_detach_node's
 * {@code --gracefully}: each node's proxies answer on {@link Addresses#PROXY_CLIENTS_PREFIX} plus
 * their cluster node id, and the Active node asks every member Hazelcast lists (its local copy:
 * nothing blocks). A member with no proxy (a witness, a stopped pool) counts as none.
 */
public final class ClientCounts {
    private static final String STANDALONE = "local";
    private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(5_000);

    private ClientCounts() {
    }

    /** Registers this node's answer; the future completes once the cluster knows the address. */
    public static Future<Void> serve(Vertx vertx, IntSupplier clients) {
        return vertx.eventBus().<JsonObject>consumer(Addresses.PROXY_CLIENTS_PREFIX + selfId(vertx),
                m -> m.reply(new JsonObject().put("clients", clients.getAsInt()))).completion();
    }

    /** The sum over every member; fails when a member's proxies did not answer. */
    public static Future<Integer> total(Vertx vertx) {
        List<Future<Integer>> answers = new ArrayList<>();
        for (String member : members(vertx)) {
            answers.add(vertx.eventBus().<JsonObject>request(Addresses.PROXY_CLIENTS_PREFIX + member, new JsonObject(), ASK)
                    .map(m -> m.body().getInteger("clients", 0))
                    .recover(e -> e instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS
                            ? Future.succeededFuture(0) : Future.failedFuture(e)));
        }
        return Future.all(answers).map(all -> answers.stream().mapToInt(Future::result).sum());
    }

    private static ClusterManager manager(Vertx vertx) {
        return vertx instanceof VertxInternal internal ? internal.clusterManager() : null;
    }

    private static String selfId(Vertx vertx) {
        ClusterManager manager = manager(vertx);
        return manager == null ? STANDALONE : manager.getNodeId();
    }

    private static List<String> members(Vertx vertx) {
        ClusterManager manager = manager(vertx);
        return manager == null ? List.of(STANDALONE) : manager.getNodes();
    }
}
