package org.vxpool.proxy.cancel;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.Objects;
import org.vxpool.common.Addresses;

/**
 * The way to the other vxpool nodes of the cluster for a CancelRequest whose key this node did not
 * issue (clients may reach another node through a list of hosts, or after the delegate IP moved).
 * Each node listens on {@code vxpool.cancel.<cluster node id>}; a request goes only to the members
 * whose {@link CancelRegistry#tagOf tag} matches the pid's, normally one, so a guessed key costs at
 * most one event-bus message and the owner, which alone knows the secret, ignores a wrong one.
 * The member list is Hazelcast's local copy: nothing here blocks.
 */
public final class PeerCancel {
    private final EventBus bus;
    private final ClusterManager manager;
    private final String selfId;

    private PeerCancel(EventBus bus, ClusterManager manager) {
        this.bus = bus;
        this.manager = manager;
        this.selfId = manager.getNodeId();
    }

    /** The cluster side of {@code vertx}, or null when it is not clustered. */
    public static PeerCancel of(Vertx vertx) {
        ClusterManager manager = vertx instanceof VertxInternal internal ? internal.clusterManager() : null;
        return manager == null ? null : new PeerCancel(vertx.eventBus(), manager);
    }

    /** The tag this node puts into its process ids. */
    public int selfTag() {
        return CancelRegistry.tagOf(selfId);
    }

    /** Where the other nodes send cancel requests meant for this node's sessions. */
    public String address() {
        return address(selfId);
    }

    static String address(String nodeId) {
        return Addresses.CANCEL_PREFIX + nodeId;
    }

    /** Sends {@code (pid, secret)} to the other members that may have issued pid; returns how many. */
    public int forward(int pid, int secret) {
        int tag = CancelRegistry.tagOfPid(pid);
        int sent = 0;
        for (String node : manager.getNodes()) {
            if (!Objects.equals(node, selfId) && CancelRegistry.tagOf(node) == tag) {
                bus.send(address(node), body(pid, secret));
                sent++;
            }
        }
        return sent;
    }

    static JsonObject body(int pid, int secret) {
        return new JsonObject().put("pid", pid).put("secret", secret);
    }
}
