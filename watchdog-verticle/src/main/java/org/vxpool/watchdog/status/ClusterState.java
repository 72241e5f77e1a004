package org.vxpool.watchdog.status;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.Addresses;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.watchdog.Leadership;

/**
 * This node's copy of the backend state and the three places it goes on every change: the status
 * file, the {@link Addresses#CLUSTER_VIEW} publish and, on the Active node, the clustered map
 * {@link Addresses#BACKENDS_MAP}. Confined to the watchdog verticle's event loop.
 *
 * <p>Map entries carry the view's epoch next to the node JSON, so a node that reads the map can
 * tell which view it holds and compare it with a published one.
 */
public final class ClusterState {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterState.class);

    private final Vertx vertx;
    private final StatusFile statusFile;
    private final Leadership leadership;
    private ClusterView view;

    public ClusterState(Vertx vertx, StatusFile statusFile, Leadership leadership, ClusterView initial) {
        this.vertx = vertx;
        this.statusFile = statusFile;
        this.leadership = leadership;
        this.view = initial;
    }

    public ClusterView view() {
        return view;
    }

    /**
     * The epoch of the next change. It follows the leadership term too, so the first view a newly
     * elected Active node writes supersedes everything the previous one published.
     */
    public long nextEpoch() {
        return Math.max(view.epoch(), leadership.epoch()) + 1;
    }

    /**
     * Active node only: takes {@code nodes} as the new state under a new epoch, persists it, then
     * publishes it and writes the clustered map. Completes when the status file and the map are
     * written. Refused once this node is no longer Active: a failover queued before the
     * leadership moved must not overwrite what the new Active node decides.
     */
    public Future<ClusterView> commit(List<BackendNode> nodes) {
        if (!leadership.isActive()) {
            return Future.failedFuture(new IllegalStateException("this node is no longer Active; change not applied"));
        }
        ClusterView next = new ClusterView(nextEpoch(), nodes);
        view = next;
        LOG.debug("cluster view epoch {}: {}", next.epoch(), next.toJson().encode());
        return persist(next).andThen(ar -> vertx.eventBus().publish(Addresses.CLUSTER_VIEW, next.toJson()))
                .compose(v -> writeMap(next))
                .map(next);
    }

    /** Standby node: keeps {@code other} when it is newer than what we hold. */
    public boolean adopt(ClusterView other) {
        if (!other.isNewerThan(view) || other.nodes().size() != view.nodes().size()) {
            return false;
        }
        view = other;
        persist(other);
        // Local only: the Active node already told the cluster; this is for our own proxies.
        vertx.eventBus().publish(Addresses.CLUSTER_VIEW, other.toJson(), new DeliveryOptions().setLocalOnly(true));
        return true;
    }

    private Future<Void> persist(ClusterView v) {
        return vertx.executeBlocking(() -> {
            statusFile.write(v.nodes());
            return null;
        }, true).<Void>mapEmpty().onFailure(e -> LOG.error("cannot persist backend status: {}", e.getMessage()))
                .otherwiseEmpty();
    }

    private Future<Void> writeMap(ClusterView v) {
        return map().compose(map -> {
            List<Future<Void>> puts = new ArrayList<>();
            for (BackendNode n : v.nodes()) {
                puts.add(map.put(n.id(), n.toJson().put("epoch", v.epoch())));
            }
            return Future.join(puts).<Void>mapEmpty();
        }).onFailure(e -> LOG.error("cannot write {}: {}", Addresses.BACKENDS_MAP, e.getMessage())).otherwiseEmpty();
    }

    /** The view in the clustered map, if the map holds one for every configured backend. */
    public Future<Optional<ClusterView>> readMap() {
        int size = view.nodes().size();
        return map().compose(AsyncMap::entries).map(entries -> fromEntries(entries, size))
                .otherwise(e -> {
                    LOG.warn("cannot read {}: {}", Addresses.BACKENDS_MAP, e.getMessage());
                    return Optional.empty();
                });
    }

    private static Optional<ClusterView> fromEntries(Map<Integer, JsonObject> entries, int size) {
        if (entries.size() != size) {
            return Optional.empty();
        }
        List<BackendNode> nodes = new ArrayList<>();
        long epoch = 0;
        for (int i = 0; i < size; i++) {
            JsonObject json = entries.get(i);
            if (json == null) {
                return Optional.empty();
            }
            nodes.add(BackendNode.fromJson(json));
            epoch = Math.max(epoch, json.getLong("epoch", 0L));
        }
        return Optional.of(new ClusterView(epoch, nodes));
    }

    private Future<AsyncMap<Integer, JsonObject>> map() {
        return vertx.sharedData().getAsyncMap(Addresses.BACKENDS_MAP);
    }
}
