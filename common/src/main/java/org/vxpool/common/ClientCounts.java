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
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Client connections open on the proxies of every vxpool node, for pcp_detach_node's
 * {@code --gracefully}: each node's proxies answer on {@link Addresses#PROXY_CLIENTS_PREFIX} plus
 * their cluster node id, and the Active node asks every member Hazelcast lists (its local copy:
 * nothing blocks). A member with no proxy (a witness, a stopped pool) counts as none.
 *
 * <p>The question also tells the proxies that a graceful detach is waiting ({@code "drain"}):
 * as pgpool-II does meanwhile, they hold new clients back and apply
 * {@code client_idle_limit_in_recovery}. Each question holds for {@link #DRAIN_LEASE_MILLIS}, so
 * a proxy whose Active node died mid-wait lets its clients in again by itself.
 */
public final class ClientCounts {
    private static final String STANDALONE = "local";
    private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(5_000);
    /** How long one "drain" question holds: longer than the Active node's polling, with its timeout. */
    public static final long DRAIN_LEASE_MILLIS = 6_000;

    private ClientCounts() {
    }

    /**
     * Registers this node's answer; the future completes once the cluster knows the address.
     *
     * @param drain told {@code true} while a graceful detach waits (renewed by every question),
     *              {@code false} when it is over
     */
    public static Future<Void> serve(Vertx vertx, IntSupplier clients, Consumer<Boolean> drain) {
        return vertx.eventBus().<JsonObject>consumer(Addresses.PROXY_CLIENTS_PREFIX + selfId(vertx), m -> {
            Boolean draining = m.body() == null ? null : m.body().getBoolean("drain");
            if (draining != null) {
                drain.accept(draining);
            }
            m.reply(new JsonObject().put("clients", clients.getAsInt()));
        }).completion();
    }

    /**
     * The sum over every member, telling each that a graceful detach waits; fails when a member's
     * proxies did not answer.
     */
    public static Future<Integer> draining(Vertx vertx) {
        return ask(vertx, true);
    }

    /** The graceful detach is over: every member lets new clients in again. */
    public static Future<Integer> released(Vertx vertx) {
        return ask(vertx, false);
    }

    private static Future<Integer> ask(Vertx vertx, boolean drain) {
        JsonObject question = new JsonObject().put("drain", drain);
        List<Future<Integer>> answers = new ArrayList<>();
        for (String member : members(vertx)) {
            answers.add(vertx.eventBus().<JsonObject>request(Addresses.PROXY_CLIENTS_PREFIX + member, question, ASK)
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
