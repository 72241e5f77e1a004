package org.vxpool.watchdog.election;

/** What the {@link Election} asks its owner to do, in the order given. */
public sealed interface ElectionAction {

    /** Write this node's info (state, epoch) to the shared member map. */
    record Publish() implements ElectionAction {
    }

    /**
     * Probe the delegate IP with {@code arping -D}; answer with {@link ElectionEvent.VipProbed}.
     *
     * @param previous how the last leader left, which decides how long the probe listens
     */
    record ProbeVip(PreviousLeader previous) implements ElectionAction {
    }

    /** How the last leader left, as far as this node saw it. */
    enum PreviousLeader {
        /** No leader was seen leaving (first election, or it left unseen): the full one-second probe. */
        UNKNOWN,
        /**
         * The holder of the newest term published SHUTDOWN, which it does only after its
         * {@code if_down_cmd}: the probe only has to catch an address left up by a failed
         * {@code if_down_cmd} or held by a stranger, whose ARP replies come back within milliseconds.
         */
        RELEASED,
        /**
         * A visible leader disappeared without shutting down: it may be isolated rather than dead
         * and is dropping the IP on its own side right now (both sides notice the split at the same
         * heartbeat deadline, give or take one heartbeat), so the owner waits a grace period first.
         */
        VANISHED
    }

    /** Became leader: run the escalation command, bring the delegate IP up, send gratuitous ARP. */
    record Escalate(long epoch) implements ElectionAction {
    }

    /** Stopped being leader: run the de-escalation command and bring the delegate IP down. */
    record DeEscalate(String reason) implements ElectionAction {
    }
}
