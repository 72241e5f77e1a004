package org.vxpool.proxy.session;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * pcp_detach_node {@code --gracefully} as the proxies see it: while the Active node waits for
 * every client to disconnect, a new client is held after its StartupMessage ({@link
 * SessionState#HELD}: not yet a connected client) and idle clients are disconnected after
 * {@code client_idle_limit_in_recovery}, as pgpool-II does during the same wait. Each question of
 * the Active node keeps the drain on for a lease; its last word, or the end of the lease when it
 * died mid-wait, ends it.
 *
 * <p>One per Vert.x instance ({@link ProxyRuntime#drain}); each ProxyVerticle instance hears of a
 * change through {@link #listen} and acts on its own sessions on its own loop.
 */
public final class Drain {
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean on;
    private volatile long untilNanos;

    /**
     * The Active node's word: {@code draining} renews the lease for {@code leaseNanos}; false ends
     * the drain at once. Listeners run when the drain starts or ends by this call.
     */
    public void set(boolean draining, long leaseNanos) {
        boolean was = active();
        if (draining) {
            untilNanos = System.nanoTime() + leaseNanos;
        }
        on = draining;
        if (was != draining) {
            listeners.forEach(Runnable::run);
        }
    }

    /** Whether a graceful detach is waiting now (and its lease has not run out). */
    public boolean active() {
        return on && System.nanoTime() - untilNanos < 0;
    }

    /** {@code r} runs, on the thread that changed it, each time the drain starts or ends. */
    public void listen(Runnable r) {
        listeners.add(r);
    }

    public void unlisten(Runnable r) {
        listeners.remove(r);
    }
}
