package org.vxpool.watchdog.election;

/**
 * A watchdog member's state, with pgpool-II's names where pgpool has one (pcp_watchdog_info shows
 * them). Only {@link #LEADER} may hold the delegate IP.
 */
public enum WatchdogState {
    /** Started, has not published its info yet. Other members wait for it before electing. */
    LOADING,
    /** Published its info, waiting for the first decision. */
    JOINING,
    /** Follows a leader (or waits for the elected one to escalate). */
    STANDBY,
    /** The Active node: pgpool's LEADER/COORDINATOR. */
    LEADER,
    /** Sees too few configured members: never a leader in this state. */
    LOST_QUORUM,
    /** Cannot reach any trusted server: must not be or become the leader. */
    IN_NETWORK_TROUBLE,
    /** Left gracefully; others elect a new leader without waiting for the heartbeat deadline. */
    SHUTDOWN;

    /** States from which a member may still stand for leader. */
    boolean canStand() {
        return this == JOINING || this == STANDBY || this == LOST_QUORUM;
    }
}
