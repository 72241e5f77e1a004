package org.vxpool.proxy.pool;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.Addresses;
import org.vxpool.common.model.BackendNode;
import org.vxpool.proxy.ProxySettings;
import org.vxpool.proxy.pool.BackendConnection.State;
import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.proxy.protocol.FrameListener;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.PgProtocolException;
import org.vxpool.proxy.protocol.Query;
import org.vxpool.proxy.protocol.SocketReads;
import org.vxpool.proxy.protocol.StartupMessage;
import org.vxpool.proxy.protocol.Terminate;
import org.vxpool.proxy.ssl.BackendTls;

/**
 * The backend connections of one event loop, pooled per {@link PoolKey}. {@link #move} is the only
 * place a connection changes state, so the per-state counts cannot drift (PgBouncer's rule). Idle
 * connections are reused newest first and reset with {@code reset_query_list} before going idle.
 */
public final class BackendPool {
    private static final Logger log = LoggerFactory.getLogger(BackendPool.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static final long RESET_TIMEOUT_SECONDS = 10;
    /** How long an idle connection beyond max_pool is kept for the next client: one sweep period. */
    static final long SURPLUS_IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Vertx vertx;
    private final NetClient client;
    /** Replaced by a reload ({@link #reconfigure}); read on this pool's event loop only. */
    private ProxySettings settings;
    private final ClientSSLOptions backendTls;
    private final Map<PoolKey, KeyPool> pools = new ConcurrentHashMap<>();
    private boolean stopping;
    /** Told the key of every connection that closes: transaction pooling serves its waiters then. */
    private java.util.function.Consumer<PoolKey> closedListener = k -> { };

    /** Connections of one key: the idle stack plus counts per state, readable from any thread. */
    static final class KeyPool {
        final ArrayDeque<BackendConnection> idle = new ArrayDeque<>();
        final AtomicIntegerArray counts = new AtomicIntegerArray(State.values().length);
        final AtomicLong created = new AtomicLong();
        /** Whether the backend let this key in without a password (learned from logins). */
        Boolean trusted;
    }

    private static final java.util.function.Consumer<String> IGNORE_CLOSE = reason -> { };
    /** {@code State.values()} copies the array at each call; openCount runs per transaction. */
    private static final State[] STATES = State.values();

    public BackendPool(Vertx vertx, NetClient client, ProxySettings settings) {
        this(vertx, client, settings, null);
    }

    /** @param backendTls when not null, every new connection asks for TLS first (pgpool's ssl = on) */
    public BackendPool(Vertx vertx, NetClient client, ProxySettings settings, ClientSSLOptions backendTls) {
        this.vertx = vertx;
        this.client = client;
        this.settings = settings;
        this.backendTls = backendTls;
    }

    /**
     * A reload: reset_query_list, connection_life_time and max_pool (never changed by a reload,
     * it needs a restart) apply from the next check-in and sweep on.
     */
    public void reconfigure(ProxySettings newer) {
        settings = newer;
    }

    private KeyPool pool(PoolKey key) {
        return pools.computeIfAbsent(key, k -> new KeyPool());
    }

    /** The single state transition: keeps the idle stack and the counts in step. */
    void move(BackendConnection c, State to) {
        State from = c.state;
        if (from == to) {
            return;
        }
        KeyPool p = c.keyPool;
        if (p == null) {
            // twice per transaction in transaction pooling: the map is asked once per connection
            p = pool(c.key());
            c.keyPool = p;
        }
        if (from == State.IDLE_IN_POOL) {
            p.idle.remove(c);
        }
        if (to == State.IDLE_IN_POOL) {
            p.idle.push(c);
            c.idleSinceNanos = System.nanoTime();
        }
        if (from != State.CLOSED) {
            p.counts.decrementAndGet(from.ordinal());
        }
        if (to != State.CLOSED) {
            p.counts.incrementAndGet(to.ordinal());
        }
        c.state = to;
        if (to == State.CLOSED) {
            closedListener.accept(c.key());
        }
    }

    /** {@code l} hears the key of each connection that closes (one listener). */
    public void onClosed(java.util.function.Consumer<PoolKey> l) {
        closedListener = l;
    }

    /** Connections of {@code key} that are open or opening, idle or not. */
    public int openCount(PoolKey key) {
        return openCount(pools.get(key));
    }

    /** As {@link #openCount(PoolKey)} for the key of {@code c}, without a map look-up once {@code c} was counted. */
    public int openCountOf(BackendConnection c) {
        KeyPool p = c.keyPool;
        return openCount(p != null ? p : pools.get(c.key()));
    }

    private static int openCount(KeyPool p) {
        if (p == null) {
            return 0;
        }
        int n = 0;
        for (State s : STATES) {
            if (s != State.CLOSED) {
                n += p.counts.get(s.ordinal());
            }
        }
        return n;
    }

    /** Transaction pooling: the newest idle connection of {@code key}, ACTIVE, as it is (no SET); or null. */
    /** Idle connections of {@code key} at hand now. */
    public int idleCount(PoolKey key) {
        KeyPool p = pools.get(key);
        return p == null ? 0 : p.idle.size();
    }

    public BackendConnection pollIdle(PoolKey key) {
        KeyPool p = pools.get(key);
        if (p == null || p.idle.isEmpty()) {
            return null;
        }
        BackendConnection c = p.idle.peekFirst();
        move(c, State.ACTIVE);
        return c;
    }

    /**
     * Transaction pooling: {@code c} is quiet and outside a transaction; it goes back idle as it
     * is, without reset_query_list, so the statements prepared on it stay for the next client.
     */
    public void park(BackendConnection c) {
        if (c.state != State.ACTIVE) {
            return;
        }
        if (stopping) {
            close(c, "proxy stopping");
            return;
        }
        c.socket().drainHandler(null);
        c.socket().resume();
        c.listen(idleListener(c), IGNORE_CLOSE);
        c.reset = false;
        move(c, State.IDLE_IN_POOL);
    }

    /** Whether logins of {@code key} have needed no credentials so far. */
    public boolean trusted(PoolKey key) {
        KeyPool p = pools.get(key);
        return p != null && Boolean.TRUE.equals(p.trusted);
    }

    /**
     * A connection for a client vxpool vouches for: an idle pooled one made to look fresh, or a
     * new login with {@code credentials}. Completes with the connection ACTIVE.
     */
    public Future<BackendConnection> acquire(BackendNode node, PoolKey key, StartupMessage startup,
                                             BackendCredentials credentials) {
        BackendConnection reuse = takeIdle(key, SessionParams.of(startup.parameters()));
        if (reuse == null) {
            return connect(node, key, startup, credentials.newLogin(key.user()), true);
        }
        move(reuse, State.ACTIVE);
        return Future.succeededFuture(reuse);
    }

    /**
     * The newest idle connection started with exactly {@code wanted}, as pgpool-II reuses one only
     * for the same run-time parameters: a value applied later with SET would be lost to the
     * client's own RESET ALL or DISCARD ALL, which go back to the start-up values (a LATIN1
     * client would then get UTF8 text).
     */
    private BackendConnection takeIdle(PoolKey key, SessionParams wanted) {
        KeyPool p = pools.get(key);
        if (p == null || p.idle.isEmpty()) {
            return null;
        }
        for (BackendConnection c : p.idle) {
            if (c.startupParams().equals(wanted)) {
                return c;
            }
        }
        return null;
    }

    /**
     * Opens a new connection and logs in with the client's start-up parameters, answering
     * authentication through {@code auth}. Completes with the connection ACTIVE. The connection
     * may later be pooled when the backend asked for no credentials, or when {@code vouched}
     * (vxpool authenticated the client itself).
     */
    public Future<BackendConnection> connect(BackendNode node, PoolKey key, StartupMessage startup,
                                             BackendAuthenticator auth, boolean vouched) {
        return client.connect(BackendAddress.of(node.host(), node.port()))
                .recover(e -> {
                    String reason = "could not connect to backend node " + node.id() + " " + node.host() + ":"
                            + node.port() + ": " + e.getMessage();
                    reportFailure(node.id(), reason, null);
                    return Future.failedFuture(new BackendUnavailableException(node.id(), reason, e));
                })
                .compose(socket -> backendTls == null ? Future.succeededFuture(socket)
                        : BackendTls.negotiate(socket, backendTls).map(socket)
                                .onFailure(e -> socket.close()))
                .compose(socket -> login(node, key, startup, auth, vouched, socket));
    }

    private Future<BackendConnection> login(BackendNode node, PoolKey key, StartupMessage startup,
                                            BackendAuthenticator auth, boolean vouched, NetSocket socket) {
        BackendConnection c = new BackendConnection(IDS.incrementAndGet(), key, node, socket,
                SessionParams.of(startup.parameters()));
        KeyPool p = pool(key);
        p.counts.incrementAndGet(State.CONNECTING.ordinal());
        p.created.incrementAndGet();
        SocketReads.install(socket, c);
        socket.closeHandler(v -> peerClosed(c));
        socket.exceptionHandler(e -> log.debug("{}: {}", c, e.toString()));
        move(c, State.AUTHENTICATING);
        Promise<Boolean> loggedIn = Promise.promise();
        c.listen(new LoginExchange(c, auth, loggedIn), reason -> loggedIn.tryFail(
                new BackendUnavailableException(node.id(), "backend node " + node.id() + " closed the connection during login", null)));
        c.send(backendStartup(startup));
        return loggedIn.future().map(challenged -> {
            p.trusted = !challenged;
            c.poolable = (vouched || !challenged) && !startup.parameters().containsKey("replication");
            move(c, State.ACTIVE);
            return c;
        }).onFailure(e -> {
            if (e instanceof MissingCredentialsException) {
                p.trusted = false;
            }
            close(c, "login failed: " + e.getMessage());
        });
    }

    /** The client's start-up packet as the backend gets it: always 3.0, no protocol options. */
    private static Buffer backendStartup(StartupMessage startup) {
        Map<String, String> params = new LinkedHashMap<>();
        startup.parameters().forEach((k, v) -> {
            if (!k.startsWith("_pq_.")) {
                params.put(k, v);
            }
        });
        return new StartupMessage(PgProtocol.PROTOCOL_3_0, params).encode();
    }

    /** Runs vxpool's own simple queries, pipelined, on an ACTIVE or RESETTING connection. */
    Future<Void> run(BackendConnection c, List<String> queries) {
        Promise<Void> done = Promise.promise();
        c.listen(new QueryExchange(c, queries.size(), done), reason -> done.tryFail(
                new BackendUnavailableException(c.node().id(), reason, null)));
        Buffer out = Buffer.buffer();
        for (String q : queries) {
            out.appendBuffer(new Query(q).encode());
            c.sent(PgProtocol.Frontend.QUERY);
        }
        c.send(out);
        return done.future().timeout(RESET_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * The client is done with {@code c}: reset it and keep it idle if it is reusable and quiet
     * (no query, COPY or unsynced batch in flight), otherwise close it.
     */
    public void release(BackendConnection c, String reason) {
        if (c.state != State.ACTIVE) {
            return;
        }
        KeyPool p = pool(c.key());
        // the relay may have paused it for back-pressure towards a client that is gone now
        c.socket().drainHandler(null);
        c.socket().resume();
        if (stopping || !c.poolable || !c.isQuiet() || settings.maxPool() <= 0) {
            close(c, reason + (c.isQuiet() ? "" : " (backend busy, not reusable)"));
            return;
        }
        move(c, State.RESETTING);
        List<String> reset = resetStatements(settings.resetQueryList(), c.txStatus());
        if (reset.isEmpty()) {
            checkIn(c);
            return;
        }
        run(c, reset).onComplete(ar -> {
            if (ar.failed()) {
                close(c, "reset failed: " + ar.cause().getMessage());
            } else if (c.state == State.RESETTING) {
                checkIn(c);
            }
        });
    }

    /**
     * A reset connection goes idle even when max_pool are idle already: under connect-per-
     * transaction load the surplus is needed again within milliseconds, and closing it meant a
     * new backend process and login for the next client. {@link #sweep} trims what stays unused.
     */
    private void checkIn(BackendConnection c) {
        c.listen(idleListener(c), IGNORE_CLOSE);
        c.reset = true;
        move(c, State.IDLE_IN_POOL);
    }

    /**
     * reset_query_list as it applies to a connection whose last ReadyForQuery said {@code txStatus}:
     * ABORT (or ROLLBACK) only inside a transaction block, as pgpool-II does; outside one it would
     * only earn a WARNING in the server log and a round trip.
     */
    static List<String> resetStatements(List<String> list, byte txStatus) {
        if (txStatus != PgProtocol.TxStatus.IDLE) {
            return list;
        }
        List<String> out = new ArrayList<>(list.size());
        for (String q : list) {
            if (!isTransactionEnd(q)) {
                out.add(q);
            }
        }
        return out;
    }

    private static boolean isTransactionEnd(String q) {
        String t = q.strip();
        if (t.endsWith(";")) {
            t = t.substring(0, t.length() - 1).strip();
        }
        return t.equalsIgnoreCase("ABORT") || t.equalsIgnoreCase("ROLLBACK");
    }

    /**
     * An idle connection should hear nothing; a FATAL (e.g. admin shutdown) precedes a close. One
     * per connection: transaction pooling parks a connection after every transaction.
     */
    private FrameListener idleListener(BackendConnection c) {
        if (c.idleListener == null) {
            c.idleListener = newIdleListener(c);
        }
        return c.idleListener;
    }

    private FrameListener newIdleListener(BackendConnection c) {
        return new FrameListener() {
            @Override
            public void onFrame(byte type, Buffer src, int start, int length) {
                if (type == PgProtocol.Backend.ERROR_RESPONSE) {
                    ErrorResponse e = ErrorResponse.decode(src.slice(start + 5, start + length));
                    c.lastError = e;
                }
            }

            @Override
            public void onProtocolError(PgProtocolException e) {
                close(c, "protocol error from idle backend: " + e.getMessage());
            }
        };
    }

    /** Closes {@code c} on purpose (politely, with Terminate). */
    public void close(BackendConnection c, String reason) {
        if (c.state == State.CLOSED) {
            return;
        }
        log.debug("closing {}: {}", c, reason);
        c.closing = true;
        move(c, State.CLOSED);
        c.socket().write(Terminate.encode());
        c.socket().close();
        SocketReads.drain(c.socket());
    }

    private void peerClosed(BackendConnection c) {
        if (c.closing || c.state == State.CLOSED) {
            return;
        }
        if (stopping) {
            move(c, State.CLOSED);
            return;
        }
        ErrorResponse last = c.fatal();
        String reason = "backend node " + c.node().id() + " (" + c.node().host() + ":" + c.node().port()
                + ") closed the connection" + (last != null ? ": " + last.message() : " unexpectedly");
        State was = c.state;
        move(c, State.CLOSED);
        SocketReads.drain(c.socket());
        if (isBackendFailure(last)) {
            reportFailure(c.node().id(), reason, last != null ? last.sqlState() : null);
        } else {
            log.debug("{}: {}", c, reason);
        }
        if (was != State.IDLE_IN_POOL) {
            c.peerClosed(reason);
        }
    }

    /**
     * A close without a FATAL, or after one of class 57 (operator intervention: admin or crash
     * shutdown), 58 (system error) or XX (internal), says something about the node. A FATAL the
     * client caused (protocol violation, auth failure, unknown database) does not.
     */
    static boolean isBackendFailure(ErrorResponse last) {
        if (last == null || last.sqlState() == null) {
            return true;
        }
        String cls = last.sqlState().substring(0, 2);
        return cls.equals("57") || cls.equals("58") || cls.equals("XX");
    }

    /** Tells the health checker ({@link Addresses#BACKEND_ERROR}) that a backend failed. */
    public void reportFailure(int nodeId, String reason, String sqlState) {
        log.warn("backend node {} error: {}", nodeId, reason);
        JsonObject msg = new JsonObject().put("node", nodeId).put("reason", reason);
        if (sqlState != null) {
            msg.put("sqlstate", sqlState);
        }
        vertx.eventBus().send(Addresses.BACKEND_ERROR, msg);
    }

    /**
     * Closes idle connections older than connection_life_time, and session-mode idle connections
     * beyond max_pool per key that have been idle for {@link #SURPLUS_IDLE_NANOS}.
     */
    public void sweep() {
        long limit = settings.connectionLifeTime() <= 0 ? Long.MAX_VALUE : TimeUnit.SECONDS.toNanos(settings.connectionLifeTime());
        long now = System.nanoTime();
        for (KeyPool p : pools.values()) {
            List<BackendConnection> expired = new ArrayList<>();
            List<BackendConnection> surplus = new ArrayList<>();
            int kept = 0;
            // newest first: the ones beyond max_pool at the bottom of the stack are the least used
            for (BackendConnection c : p.idle) {
                long idle = now - c.idleSinceNanos;
                if (idle > limit) {
                    expired.add(c);
                } else if (c.reset && ++kept > settings.maxPool() && idle >= SURPLUS_IDLE_NANOS) {
                    surplus.add(c);
                }
            }
            expired.forEach(c -> close(c, "connection_life_time expired"));
            surplus.forEach(c -> close(c, "more than max_pool (" + settings.maxPool() + ") idle connections"));
        }
    }

    /** Closes every idle connection to {@code nodeId} (the node left the view). */
    public void closeNode(int nodeId, String reason) {
        for (Map.Entry<PoolKey, KeyPool> e : pools.entrySet()) {
            if (e.getKey().nodeId() != nodeId) {
                continue;
            }
            for (Iterator<BackendConnection> it = new ArrayList<>(e.getValue().idle).iterator(); it.hasNext(); ) {
                close(it.next(), reason);
            }
        }
    }

    /** Closes everything idle; closes seen from now on are ours, not backend failures. */
    public void shutdown(String reason) {
        stopping = true;
        for (KeyPool p : pools.values()) {
            new ArrayList<>(p.idle).forEach(c -> close(c, reason));
        }
    }

    /** Counts per key; safe to call from any thread. */
    public List<PoolStats> stats() {
        List<PoolStats> out = new ArrayList<>();
        pools.forEach((k, p) -> out.add(new PoolStats(k.nodeId(), k.user(), k.database(),
                p.counts.get(State.CONNECTING.ordinal()), p.counts.get(State.AUTHENTICATING.ordinal()),
                p.counts.get(State.IDLE_IN_POOL.ordinal()), p.counts.get(State.ACTIVE.ordinal()),
                p.counts.get(State.RESETTING.ordinal()), p.created.get())));
        return out;
    }
}
