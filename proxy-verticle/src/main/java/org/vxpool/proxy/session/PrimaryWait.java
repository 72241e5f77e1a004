package org.vxpool.proxy.session;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeStatus;

/**
 * The window in which a new client waits for a primary instead of being refused, and the
 * sessions waiting in it. pgpool-II holds new clients while a failover runs and, at start, while
 * it searches for the primary (both for up to {@code search_primary_node_timeout}). The proxy
 * cannot see the Active node's search, only views, so the window is measured from the moment
 * this proxy last saw a primary go (or started without one): a client may wait until
 * {@code search_primary_node_timeout} after that. Once the window has passed, no primary is
 * coming as far as the proxy can tell, and clients are refused at once again.
 *
 * <p>One per ProxyVerticle instance, confined to its event loop.
 */
public final class PrimaryWait {
    private final Set<Runnable> waiters = new LinkedHashSet<>();
    private boolean primaryKnown;
    private long lostAtNanos;

    /** @param startNanos the verticle's start: it has no view yet */
    public PrimaryWait(long startNanos) {
        this.lostAtNanos = startNanos;
    }

    /** The verticle took a new view: the window opens when the primary goes, and waiters look again. */
    public void viewChanged(ClusterView view, long nowNanos) {
        boolean known = Routing.sessionNode(view).isPresent();
        if (primaryKnown && !known) {
            lostAtNanos = nowNanos;
        }
        primaryKnown = known;
        for (Runnable w : List.copyOf(waiters)) {
            w.run();
        }
    }

    /** How much longer a client arriving at {@code nowNanos} may wait; 0 when the window has passed. */
    long remainingNanos(long windowNanos, long nowNanos) {
        if (primaryKnown) {
            return windowNanos;
        }
        return Math.max(0, lostAtNanos + windowNanos - nowNanos);
    }

    /**
     * Whether a primary may still appear in {@code view}: not when every node is down or unused
     * (pgpool then refuses clients and gives up its search at once). Without a view yet, it may.
     */
    static boolean primaryMayAppear(ClusterView view) {
        if (view == null) {
            return true;
        }
        for (BackendNode n : view.nodes()) {
            if (n.status() != NodeStatus.DOWN && n.status() != NodeStatus.UNUSED) {
                return true;
            }
        }
        return false;
    }

    /** {@code waiter} runs on every view change until removed. */
    void add(Runnable waiter) {
        waiters.add(waiter);
    }

    void remove(Runnable waiter) {
        waiters.remove(waiter);
    }

    /** Sessions of this event loop waiting now. */
    int waiting() {
        return waiters.size();
    }
}
