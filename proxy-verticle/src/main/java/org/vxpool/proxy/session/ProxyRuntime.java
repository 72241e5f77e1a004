package org.vxpool.proxy.session;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.vxpool.proxy.cancel.CancelRegistry;
import org.vxpool.proxy.pool.BackendPool;
import org.vxpool.proxy.pool.PoolKey;
import org.vxpool.proxy.pool.PoolStats;

/**
 * State shared by every ProxyVerticle instance of one Vert.x instance: the client count that
 * enforces num_init_children, the cancel keys, and the pools for statistics.
 */
public final class ProxyRuntime implements Shareable {
    private static final String MAP = "vxpool.proxy";

    private final AtomicInteger clients = new AtomicInteger();
    private final CancelRegistry cancelRegistry = new CancelRegistry();
    private final Set<BackendPool> pools = ConcurrentHashMap.newKeySet();
    private final Set<SessionCounts> sessionCounts = ConcurrentHashMap.newKeySet();

    public static ProxyRuntime of(Vertx vertx) {
        return vertx.sharedData().<String, ProxyRuntime>getLocalMap(MAP).computeIfAbsent("runtime", k -> new ProxyRuntime());
    }

    /** Takes a client slot unless {@code max} clients are already connected. */
    public boolean tryAddClient(int max) {
        while (true) {
            int n = clients.get();
            if (n >= max) {
                return false;
            }
            if (clients.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    public void removeClient() {
        clients.decrementAndGet();
    }

    public int clients() {
        return clients.get();
    }

    public CancelRegistry cancelRegistry() {
        return cancelRegistry;
    }

    /** Registers one event loop's pool and session counters for {@link #statsJson()}. */
    public void register(BackendPool pool, SessionCounts counts) {
        pools.add(pool);
        sessionCounts.add(counts);
    }

    public void unregister(BackendPool pool, SessionCounts counts) {
        pools.remove(pool);
        sessionCounts.remove(counts);
    }

    /** Sessions in {@code state} over every event loop. */
    public int sessions(SessionState state) {
        int n = 0;
        for (SessionCounts c : sessionCounts) {
            n += c.get(state);
        }
        return n;
    }

    /** The reply to {@code Addresses.PROXY_STATS}: sessions per state and pools summed over event loops. */
    public JsonObject statsJson() {
        JsonObject sessions = new JsonObject();
        for (SessionState s : SessionState.values()) {
            if (s != SessionState.CLOSED) {
                sessions.put(s.name().toLowerCase(java.util.Locale.ROOT), sessions(s));
            }
        }
        Map<PoolKey, PoolStats> sum = new LinkedHashMap<>();
        for (BackendPool p : pools) {
            for (PoolStats st : p.stats()) {
                sum.merge(new PoolKey(st.nodeId(), st.user(), st.database()), st, PoolStats::plus);
            }
        }
        JsonArray arr = new JsonArray();
        sum.values().forEach(st -> arr.add(st.toJson()));
        return new JsonObject().put("clients", clients.get()).put("sessions", sessions).put("pools", arr);
    }
}
