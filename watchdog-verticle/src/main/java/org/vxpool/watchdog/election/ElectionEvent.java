package org.vxpool.watchdog.election;

import java.util.List;

/** Inputs of the {@link Election} state machine. */
public sealed interface ElectionEvent {

    /** The node has joined the cluster and is about to publish its info. */
    record Started() implements ElectionEvent {
    }

    /**
     * The members this node sees now, itself excluded. Each side of a partition sees only its own
     * side; members whose info has not arrived appear as {@link MemberInfo#unknown}.
     */
    record MembersSeen(List<MemberInfo> others) implements ElectionEvent {
    }

    /** Result of pinging the trusted servers: true when at least one answered. */
    record TrustedServersChecked(boolean reachable) implements ElectionEvent {
    }

    /** Result of the ARP duplicate-address probe for the delegate IP: true when nobody answered. */
    record VipProbed(boolean free) implements ElectionEvent {
    }

    /** Graceful stop. */
    record Shutdown() implements ElectionEvent {
    }
}
