package org.vxpool.watchdog;

import io.vertx.core.Future;
import java.util.function.Consumer;

/**
 * Whether this vxpool node is the Active one, the only node allowed to write cluster state, run
 * failover and recovery commands and hold the delegate IP.
 *
 * <p>The failover coordinator consults it before every Active-only action and registers the
 * Active-only event-bus consumers when it becomes Active. A standalone node ({@code use_watchdog =
 * off}) is always Active; with the watchdog, the election state machine decides.
 */
public interface Leadership {

    /** Current role, as last decided. Cheap; safe to call on the event loop. */
    boolean isActive();

    /**
     * Epoch of the current leadership term. Every escalation takes a new, higher epoch; cluster
     * state written under an older epoch is stale.
     */
    long epoch();

    /** Called on the owning verticle's context whenever {@link #isActive()} or the epoch changes. */
    void onChange(Consumer<Leadership> listener);

    /**
     * Members that must agree before a backend is failed over (failover_require_consensus): the
     * quorum size over the configured members. A standalone node decides alone.
     */
    default int failoverVotesRequired() {
        return 1;
    }

    /**
     * This node's name among the watchdog members ({@code host:pgpool_port}, pgpool's watchdog node
     * name), under which its failover votes are counted. It is the configured identity, not the
     * process's: two nodes in one JVM are two voters, and a restarted node is still the same one.
     */
    default String memberName() {
        return "local node";
    }

    /** Whether the watchdog cluster holds quorum now; a standalone node always does. */
    default boolean hasQuorum() {
        return true;
    }

    /** Begin taking part (join, elect). Completes when the first decision has been made. */
    Future<Void> start();

    /** Leave gracefully: release the Active role (and the delegate IP) first. */
    Future<Void> stop();
}
