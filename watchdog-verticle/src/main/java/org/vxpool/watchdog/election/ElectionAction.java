package org.vxpool.watchdog.election;

/** What the {@link Election} asks its owner to do, in the order given. */
public sealed interface ElectionAction {

    /** Write this node's info (state, epoch) to the shared member map. */
    record Publish() implements ElectionAction {
    }

    /**
     * Probe the delegate IP with {@code arping -D}; answer with {@link ElectionEvent.VipProbed}.
     *
     * @param leaderVanished the previous leader disappeared without shutting down: it may be
     *                       isolated rather than dead and is dropping the IP on its own side right
     *                       now (both sides notice the split at the same heartbeat deadline, give
     *                       or take one heartbeat), so the owner waits a grace period first
     */
    record ProbeVip(boolean leaderVanished) implements ElectionAction {
    }

    /** Became leader: run the escalation command, bring the delegate IP up, send gratuitous ARP. */
    record Escalate(long epoch) implements ElectionAction {
    }

    /** Stopped being leader: run the de-escalation command and bring the delegate IP down. */
    record DeEscalate(String reason) implements ElectionAction {
    }
}
