package org.vxpool.proxy.session;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import org.vxpool.proxy.routing.LagSnapshot;
import org.vxpool.proxy.routing.ReplicationLag;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.vxpool.proxy.cancel.CancelRegistry;
import org.vxpool.proxy.cancel.PeerCancel;
import org.vxpool.proxy.pool.BackendPool;
import org.vxpool.proxy.pool.PoolKey;
import org.vxpool.proxy.pool.PoolStats;
import org.vxpool.proxy.stats.BackendCounters;
import org.vxpool.proxy.stats.QueryCounters;
import org.vxpool.proxy.stats.QueryKind;

/**
 * State shared by every ProxyVerticle instance of one Vert.x instance: the client count that
 * enforces num_init_children, the cancel keys, and the pools for statistics.
 */
public final class ProxyRuntime implements Shareable {
    private static final String MAP = "vxpool.proxy";

    private final AtomicInteger clients = new AtomicInteger();
    /** Transaction pooling: units sent behind other clients' units on a busy connection. */
    private final java.util.concurrent.atomic.LongAdder txPipelined = new java.util.concurrent.atomic.LongAdder();
    private final CancelRegistry cancelRegistry;
    private final Set<BackendPool> pools = ConcurrentHashMap.newKeySet();
    private final Set<SessionCounts> sessionCounts = ConcurrentHashMap.newKeySet();
    private final Set<ClientSession> allSessions = ConcurrentHashMap.newKeySet();
    private final Drain drain = new Drain();
    private final QueryCounters queries = new QueryCounters();
    /** Every running instance's pool_backend_stats counters; guarded by itself. */
    private final List<BackendCounters> backendCounters = new ArrayList<>();
    /** Counts of instances that stopped (pool stop, reload undeploy), so the totals never go back. */
    private final BackendCounters retiredCounters = new BackendCounters();
    private volatile JsonObject replicationLag = new JsonObject();
    private volatile LagSnapshot lags = LagSnapshot.NONE;

    private ProxyRuntime(PeerCancel peers) {
        cancelRegistry = new CancelRegistry(peers == null ? -1 : peers.selfTag());
    }

    public static ProxyRuntime of(Vertx vertx) {
        return vertx.sharedData().<String, ProxyRuntime>getLocalMap(MAP)
                .computeIfAbsent("runtime", k -> new ProxyRuntime(PeerCancel.of(vertx)));
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

    /** Whether a graceful detach is waiting for clients to leave, as the Active node told. */
    public Drain drain() {
        return drain;
    }

    /** Statements routed per node and kind, for {@code vxpool_queries_total}. */
    /** Counts one unit pipelined behind another client's (transaction pooling). */
    public void txPipelined() {
        txPipelined.increment();
    }

    public QueryCounters queries() {
        return queries;
    }

    /** Reads routed to {@code node} (pool_nodes' select_cnt, over every proxy instance). */
    public long selectCount(int node) {
        return queries.get(node, QueryKind.READ);
    }

    /** Starts summing one proxy instance's {@code SHOW pool_backend_stats} counters. */
    public void register(BackendCounters counters) {
        synchronized (backendCounters) {
            backendCounters.add(counters);
        }
    }

    /** A stopped instance: its counts stay in the totals. */
    public void retire(BackendCounters counters) {
        synchronized (backendCounters) {
            if (backendCounters.remove(counters)) {
                retiredCounters.absorb(counters);
            }
        }
    }

    /**
     * {@code SHOW pool_backend_stats}' counts of {@code node} over every proxy instance of the JVM,
     * {@link BackendCounters#SLOTS} values: select … other, then panic, fatal, error.
     */
    public long[] backendCounts(int node) {
        long[] sum = new long[BackendCounters.SLOTS];
        synchronized (backendCounters) {
            retiredCounters.addTo(node, sum);
            for (BackendCounters c : backendCounters) {
                c.addTo(node, sum);
            }
        }
        return sum;
    }

    /**
     * {@code {"0": {"commands": {"select": n, ...}, "errors": {"panic": n, "fatal": n, "error": n}}, ...}}
     * for every node up to the highest that has a count.
     */
    JsonObject backendCountsJson() {
        int nodes;
        synchronized (backendCounters) {
            nodes = retiredCounters.nodesSeen();
            for (BackendCounters c : backendCounters) {
                nodes = Math.max(nodes, c.nodesSeen());
            }
        }
        JsonObject all = new JsonObject();
        for (int node = 0; node < nodes; node++) {
            long[] counts = backendCounts(node);
            JsonObject commands = new JsonObject();
            JsonObject errors = new JsonObject();
            for (int k = 0; k < counts.length; k++) {
                (BackendCounters.isCommand(k) ? commands : errors).put(BackendCounters.label(k), counts[k]);
            }
            all.put(Integer.toString(node), new JsonObject().put("commands", commands).put("errors", errors));
        }
        return all;
    }

    void sessionStarted(ClientSession s) {
        allSessions.add(s);
    }

    void sessionEnded(ClientSession s) {
        allSessions.remove(s);
    }

    /** Every client session of this JVM, for SHOW pool_processes / pool_pools (values read racily). */
    public List<ClientSession> allSessions() {
        return List.copyOf(allSessions);
    }

    /** The newest {@code Addresses.REPLICATION_LAG} body: node id → delayBytes, delayMs, state, syncState. */
    public JsonObject replicationLag() {
        return replicationLag;
    }

    public LagSnapshot lags() {
        return lags;
    }

    /** Keeps a new lag measurement; malformed entries are skipped. */
    public void replicationLag(JsonObject json) {
        Map<Integer, ReplicationLag> byNode = new HashMap<>();
        for (String k : json.fieldNames()) {
            try {
                JsonObject o = json.getJsonObject(k);
                byNode.put(Integer.parseInt(k), new ReplicationLag(o.getLong("delayBytes", 0L), o.getLong("delayMs", 0L)));
            } catch (RuntimeException e) {
                // one bad entry must not hide the others
            }
        }
        replicationLag = json.copy();
        lags = new LagSnapshot(byNode);
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
        return new JsonObject().put("clients", clients.get()).put("sessions", sessions).put("pools", arr)
                .put("queries", queries.toJson()).put("backends", backendCountsJson()).put("lag", replicationLag)
                .put("txPipelined", txPipelined.sum());
    }
}
