package org.vxpool.proxy.session;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Sessions per state on one event loop. Only that loop writes, so the counters are uncontended;
 * statistics read them from any thread.
 */
public final class SessionCounts {
    private final AtomicIntegerArray counts = new AtomicIntegerArray(SessionState.values().length);

    void moved(SessionState from, SessionState to) {
        if (from != null) {
            counts.decrementAndGet(from.ordinal());
        }
        if (to != SessionState.CLOSED) {
            counts.incrementAndGet(to.ordinal());
        }
    }

    public int get(SessionState state) {
        return counts.get(state.ordinal());
    }
}
