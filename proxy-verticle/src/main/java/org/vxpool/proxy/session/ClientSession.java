package org.vxpool.proxy.session;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.function.Function;
import org.vxpool.common.model.BackendNode;
import org.vxpool.proxy.protocol.StartupMessage;
import org.vxpool.proxy.show.ShowContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.proxy.cancel.BackendCancelKey;
import org.vxpool.proxy.cancel.CancelTarget;
import org.vxpool.proxy.pool.BackendConnection;
import org.vxpool.proxy.pool.SessionParams;
import org.vxpool.proxy.protocol.BackendKeyData;
import org.vxpool.proxy.protocol.CancelRequest;
import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.proxy.protocol.Frame;
import org.vxpool.proxy.protocol.FrameDecoder;
import org.vxpool.proxy.protocol.FrameListener;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.PgProtocolException;
import org.vxpool.proxy.protocol.SqlState;
import org.vxpool.proxy.protocol.SocketReads;
import org.vxpool.proxy.protocol.StartupPackets;

/**
 * One client connection. Start-up packets go to {@link StartupFlow}; once a backend is attached,
 * frontend frames are relayed to it as slices, and {@link BackendRelay} relays the answers.
 * Confined to the event loop of the ProxyVerticle instance that accepted the socket.
 */
public final class ClientSession implements FrameListener, CancelTarget, SocketReads.Sink {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
    private static final AtomicLong IDS = new AtomicLong();

    final ProxyContext ctx;
    final NetSocket client;
    final FrameDecoder decoder;
    final RelayWriter toClient;
    final FlowControl flow;
    private final long id = IDS.incrementAndGet();
    private final long connectedNanos = System.nanoTime();
    private final StartupFlow startup;
    /** The client's address, or its host name once log_hostname's lookup found one. */
    private String clientHost;

    private SessionState state;
    private long stateSinceNanos;
    /** Time spent in {@link SessionState#WAITING_PRIMARY} or {@link SessionState#HELD}, which authentication_timeout leaves out. */
    private long waitedNanos;
    /** The backends this session holds, by node id; the relay talks to {@link #current}. */
    private final Map<Integer, BackendConnection> backends = new HashMap<>(2);
    /** The sockets of {@link #backends}, for the back-pressure check after every client chunk. */
    private final List<NetSocket> backendSockets = new ArrayList<>(2);
    private BackendConnection current;
    private RelayWriter toBackend;
    private final Map<Integer, ResponseFilter> filters = new HashMap<>(2);
    private SessionRouting routing;
    /** What this session changed with PGPOOL SET. */
    private final SessionOverrides overrides;
    /** pool_mode = transaction: the client's state between transactions; null in session mode. */
    private TransactionSession tx;
    private StartupMessage startupMessage;
    private volatile List<BackendCancelKey> cancelKeys = List.of();
    private volatile Runnable cancelWhileQueued;
    private Promise<Frame> authRead;
    boolean ssl;
    /** A FATAL ErrorResponse from the backend already reached the client. */
    boolean fatalRelayed;
    /** Anchored on a standby because no primary was known when it started. */
    private boolean withoutPrimary;

    public ClientSession(ProxyContext ctx, NetSocket client) {
        this.ctx = ctx;
        this.client = client;
        this.decoder = new FrameDecoder(this, ctx.settings().maxMessageLength(), true);
        this.toClient = new RelayWriter(client);
        this.flow = new FlowControl(client);
        this.startup = new StartupFlow(this);
        this.overrides = new SessionOverrides(ctx);
        moveTo(SessionState.STARTUP);
    }

    public void start() {
        ctx.sessions().add(this);
        ctx.runtime().sessionStarted(this);
        SessionLogging logging = ctx.logging();
        clientHost = client.remoteAddress().hostAddress();
        if (logging.hostnames() && (logging.connections() || logging.disconnections())) {
            // log_hostname: the reverse lookup may wait for a name server, so a worker makes it
            String address = clientHost;
            ctx.vertx().executeBlocking(() -> InetAddress.getByName(address).getHostName(), false).onComplete(name -> {
                if (name.succeeded()) {
                    clientHost = name.result();
                }
                if (logging.connections()) {
                    log.info("connection received: host={} port={}", clientHost, client.remoteAddress().port());
                }
            });
        } else if (logging.connections()) {
            log.info("connection received: host={} port={}", clientHost, client.remoteAddress().port());
        }
        SocketReads.install(client, this);
        client.closeHandler(v -> close("client closed the connection", null));
        client.exceptionHandler(e -> log.debug("session {}: client socket error: {}", id, e.toString()));
    }

    /**
     * The session-mode relay, with or without load balancing, and transaction pooling borrow: they
     * forward frames as retained slices ({@link RelayWriter}) or copy them into an outgoing buffer;
     * what routing keeps past the chunk pins the buffer or is copied ({@link SessionRouting#unborrow}),
     * and so is what transaction pooling keeps ({@link TransactionSession#unborrow}). Start-up and
     * authentication keep frames, so they get heap copies.
     */
    @Override
    public boolean canBorrow() {
        if (tx != null) {
            // transaction pooling copies what it keeps past the chunk (TransactionSession#unborrow)
            return state == SessionState.IDLE || state == SessionState.IN_QUERY
                    || state == SessionState.COPY_IN || state == SessionState.COPY_OUT;
        }
        return toBackend != null && routing != null
                && (state == SessionState.IDLE || state == SessionState.IN_QUERY
                    || state == SessionState.COPY_IN || state == SessionState.COPY_OUT);
    }

    @Override
    public void chunk(Buffer chunk, boolean lent) {
        if (state == SessionState.CLOSED) {
            // reads Vert.x held back while the socket was paused, handed over by SocketReads.drain
            return;
        }
        if (lent && tx == null) {
            // SocketReads lends Netty's buffer wrapped as it is: routing pins it, not a copy
            routing.borrow(((BufferImpl) chunk).byteBuf());
        }
        try {
            decoder.feed(chunk);
        } catch (PgProtocolException e) {
            close("protocol violation: " + e.getMessage(), e.toErrorResponse());
        } catch (RuntimeException e) {
            log.warn("session {}: unexpected failure", id, e);
            close("internal error: " + e, ErrorResponse.fatal(SqlState.INTERNAL_ERROR, "vxpool internal error: " + e));
        } finally {
            if (lent) {
                decoder.unborrow(chunk);
                if (tx != null) {
                    tx.unborrow();
                } else {
                    toBackend.discard();
                    routing.unborrow();
                }
            }
        }
    }

    public long id() {
        return id;
    }

    public SessionState state() {
        return state;
    }

    /** Nanoseconds since the client connected. */
    public long ageNanos() {
        return System.nanoTime() - connectedNanos;
    }

    /** Nanoseconds of start-up so far, leaving out any wait for a primary or a graceful detach. */
    public long startupAgeNanos() {
        long waiting = waits(state) ? stateAgeNanos() : 0;
        return ageNanos() - waitedNanos - waiting;
    }

    /** Nanoseconds spent in the current state. */
    public long stateAgeNanos() {
        return System.nanoTime() - stateSinceNanos;
    }

    /** The single state transition; keeps the shared per-state counts right. */
    void moveTo(SessionState next) {
        if (next == state) {
            return;
        }
        ctx.counts().moved(state, next);
        long now = System.nanoTime();
        if (waits(state)) {
            waitedNanos += now - stateSinceNanos;
        }
        state = next;
        stateSinceNanos = now;
    }

    private static boolean waits(SessionState s) {
        return s == SessionState.WAITING_PRIMARY || s == SessionState.HELD;
    }

    @Override
    public List<BackendCancelKey> cancelKeys() {
        Runnable queued = cancelWhileQueued;
        if (queued != null) {
            queued.run();
        }
        return cancelKeys;
    }

    /**
     * Transaction pooling: the client's unit is pipelined behind another client's, so a
     * CancelRequest now reaches no backend; {@code r} (or null) hears of it instead.
     */
    void cancelWhileQueued(Runnable r) {
        cancelWhileQueued = r;
    }

    /** The keys a CancelRequest reaches: transaction pooling changes them at each check-out. */
    void cancelKeys(List<BackendCancelKey> keys) {
        cancelKeys = keys;
    }

    /** Whether the session holds a connection to backend {@code nodeId}. */
    public boolean usesNode(int nodeId) {
        if (tx != null) {
            return tx.conn != null && tx.conn.node().id() == nodeId;
        }
        return backends.containsKey(nodeId);
    }

    // ---- start-up ----

    @Override
    public void onStartupPacket(int code, Buffer packet) {
        try {
            switch (StartupPackets.classify(code)) {
                case SSL_REQUEST -> sslRequest();
                case GSSENC_REQUEST -> client.write(Buffer.buffer("N"));
                case CANCEL_REQUEST -> cancelRequest(CancelRequest.decode(packet));
                case STARTUP -> startup.begin(packet);
            }
        } catch (PgProtocolException e) {
            close("bad start-up packet: " + e.getMessage(), e.toErrorResponse());
        }
    }

    private void sslRequest() {
        decoder.pause();
        ctx.tls().onSslRequest(client).onComplete(ar -> {
            if (ar.failed()) {
                close("SSL negotiation failed: " + ar.cause().getMessage(), null);
                return;
            }
            ssl = ar.result();
            decoder.resume();
        });
    }

    private void cancelRequest(CancelRequest req) {
        // PostgreSQL answers nothing, whether the key is known or not
        ctx.canceller().cancel(req.processId(), req.secretKey());
        close("cancel request handled", null);
    }

    /** Stops reading the client until {@link #readMessage} or {@link #attach}. */
    void holdClient() {
        decoder.pause();
        flow.hold();
    }

    /** The client's next message during authentication. */
    Future<Frame> readMessage() {
        if (state != SessionState.AUTHENTICATING) {
            return Future.failedFuture(new PgProtocolException(SqlState.CONNECTION_FAILURE, "session closed"));
        }
        authRead = Promise.promise();
        Future<Frame> f = authRead.future();
        resumeClient();
        return f;
    }

    private void authFrame(byte type, Buffer src, int start, int length) {
        Promise<Frame> p = authRead;
        authRead = null;
        holdClient();
        if (type == PgProtocol.Frontend.TERMINATE) {
            close("client terminated during authentication", null);
            return;
        }
        if (p == null) {
            close("message during authentication", ErrorResponse.fatal(SqlState.PROTOCOL_VIOLATION,
                    "unexpected message type \"" + (char) type + "\" during authentication"));
            return;
        }
        p.complete(new Frame(type, src.slice(start + 5, start + length).copy()));
    }

    /**
     * Start-up is over: {@code conn}, on the primary, serves the client from now on.
     *
     * @param opener opens a connection to another node with the same login, or null when vxpool
     *               cannot log in by itself (pass-through authentication): no load balancing then
     * @param withoutPrimary {@code conn} is on a standby because no primary is known: see
     *                       {@link #primaryKnownAgain}
     */
    void attach(BackendConnection conn, StartupMessage startup, Function<BackendNode, Future<BackendConnection>> opener,
                boolean withoutPrimary) {
        startupMessage = startup;
        this.withoutPrimary = withoutPrimary;
        routing = new SessionRouting(this, conn.node().id(), startup.database(),
                startup.parameters().getOrDefault("application_name", ""),
                SessionParams.of(startup.parameters()).gucs(), opener);
        putBackend(conn);
        current = conn;
        toBackend = new RelayWriter(conn.socket());
        BackendKeyData real = conn.keyData();
        if (real != null) {
            cancelKeys = List.of(new BackendCancelKey(conn.node().host(), conn.node().port(), real.processId(), real.secretKey()));
        }
        BackendRelay relay = new BackendRelay(this, conn, filter(conn));
        conn.listen(relay, reason -> backendLost(conn, reason));
        moveTo(SessionState.IDLE);
        resumeClient();
        if (withoutPrimary) {
            // a view named a primary while this session logged in on the standby
            Routing.sessionNode(ctx.view().get()).ifPresent(p -> primaryKnownAgain(p.id()));
        }
    }

    /**
     * Start-up is over in transaction pooling: the client holds no backend connection; each of its
     * transactions gets one from the pool.
     */
    void attachTransaction(StartupMessage startup, TxStartup derived, Map<String, String> welcome,
                           org.vxpool.proxy.pool.BackendCredentials credentials) {
        startupMessage = startup;
        tx = new TransactionSession(this, startup, derived, welcome, credentials);
        moveTo(SessionState.IDLE);
        resumeClient();
    }

    /** The graceful detach is over: a held session starts now. */
    public void drainOver() {
        if (state == SessionState.HELD) {
            startup.admit();
        }
    }

    /**
     * A view names a primary again. A session anchored on a standby because there was none could
     * never write: it ends, as pgpool-II's children restart after a failover, and the client's
     * reconnect reaches the primary.
     */
    public void primaryKnownAgain(int primaryId) {
        if (withoutPrimary && state != SessionState.CLOSED) {
            close("node " + primaryId + " is primary now; the session ran on a standby without one",
                    ErrorResponse.fatal(SqlState.ADMIN_SHUTDOWN, "terminating connection because a primary node is available again",
                            "the session ran on a standby while no node was primary; node " + primaryId
                                    + " is primary now, and a new connection can write"));
        }
    }

    /** A second backend (the load-balance node), opened on the first unit routed there. */
    void attachSecondary(BackendConnection conn) {
        putBackend(conn);
        BackendKeyData real = conn.keyData();
        if (real != null) {
            List<BackendCancelKey> keys = new ArrayList<>(cancelKeys);
            keys.add(new BackendCancelKey(conn.node().host(), conn.node().port(), real.processId(), real.secretKey()));
            cancelKeys = List.copyOf(keys);
        }
        conn.listen(new BackendRelay(this, conn, filter(conn)), reason -> backendLost(conn, reason));
    }

    private void putBackend(BackendConnection conn) {
        BackendConnection old = backends.put(conn.node().id(), conn);
        if (old != null) {
            backendSockets.remove(old.socket());
            flow.forget(old.socket());
        }
        backendSockets.add(conn.socket());
    }

    private void removeBackend(int node) {
        BackendConnection old = backends.remove(node);
        if (old != null) {
            backendSockets.remove(old.socket());
            flow.forget(old.socket());
        }
    }

    void resumeClient() {
        flow.unhold();
        decoder.resume();
    }

    BackendConnection backend(int nodeId) {
        return backends.get(nodeId);
    }

    Collection<BackendConnection> backendList() {
        return backends.values();
    }

    ResponseFilter filter(BackendConnection conn) {
        return filters.computeIfAbsent(conn.node().id(), k -> new ResponseFilter());
    }

    SessionRouting routing() {
        return routing;
    }

    /** The session's read node, or -1 without load balancing. */
    public int loadBalanceNode() {
        if (tx != null) {
            return tx.loadBalanceNode();
        }
        return routing == null ? -1 : routing.loadBalanceNode();
    }

    /** Node ids of the backends this session holds. */
    public List<Integer> nodeIds() {
        if (tx != null) {
            return tx.conn == null ? List.of() : List.of(tx.conn.node().id());
        }
        return List.copyOf(backends.keySet());
    }

    public String user() {
        return startupMessage == null ? "" : startupMessage.user();
    }

    public String database() {
        return startupMessage == null ? "" : startupMessage.database();
    }

    ShowContext showContext() {
        return new ShowContext(ctx.vertx(), ctx.view().get(), ctx.runtime(), ctx.lags().get(), this, ctx.settings(),
                ctx.config());
    }

    /** The parameters this session changed with PGPOOL SET. */
    public SessionOverrides overrides() {
        return overrides;
    }

    /** log_statement and log_per_node_statement as this session has them. */
    SessionLogging logging() {
        return overrides.logging();
    }

    /** The router with this session's PGPOOL SET switches; null without load balancing. */
    org.vxpool.proxy.routing.Router router() {
        return overrides.router();
    }

    /** Seconds this session may stay idle: its PGPOOL SET value, else {@code configured}; 0 = forever. */
    public int clientIdleLimit(int configured) {
        return overrides.clientIdleLimit().orElse(configured);
    }

    /**
     * Seconds this session may stay idle while a graceful detach waits: its PGPOOL SET value, else
     * {@code configured}; -1 = not at all, 0 = forever.
     */
    public int clientIdleLimitInRecovery(int configured) {
        return overrides.clientIdleLimitInRecovery().orElse(configured);
    }

    // ---- relay ----

    @Override
    public void onFrame(byte type, Buffer src, int start, int length) {
        switch (state) {
            case IDLE, IN_QUERY, COPY_IN, COPY_OUT -> relayFrontend(type, src, start, length);
            // while waiting for a primary or held the client only waits too: Terminate, or a protocol violation
            case AUTHENTICATING, WAITING_PRIMARY, HELD -> authFrame(type, src, start, length);
            default -> {
                // CLOSED: drop whatever was still buffered
            }
        }
    }

    private void relayFrontend(byte type, Buffer src, int start, int length) {
        if (logging().clientMessages()) {
            ClientMessageLog.log(type, src, start, length);
        }
        if (tx != null) {
            if (type == PgProtocol.Frontend.TERMINATE) {
                close("client sent Terminate", null);
            } else {
                tx.frame(type, src, start, length);
            }
            return;
        }
        if (type == PgProtocol.Frontend.TERMINATE) {
            toBackend.flush();
            close("client sent Terminate", null);
            return;
        }
        if (routing.plainRelay(type, src, start, length)) {
            current.sent(type);
            toBackend.add(src, start, length);
            return;
        }
        toBackend.flush();
        routing.frame(type, src, start, length);
    }

    @Override
    public void onChunkEnd() {
        if (tx != null && state != SessionState.CLOSED) {
            refreshState();
            if (tx.conn != null) {
                flow.afterClientChunk(tx.conn.socket());
            }
            return;
        }
        if (toBackend == null || state == SessionState.CLOSED) {
            return;
        }
        toBackend.flush();
        refreshState();
        // in balancing mode a chunk may have gone to any backend the session holds
        flow.afterClientChunk(backendSockets);
    }

    /** A backend sent something unreadable: the stream is out of step, so neither side can go on. */
    void backendProtocolError(BackendConnection conn, PgProtocolException e) {
        ctx.pool().close(conn, "protocol violation: " + e.getMessage());
        close("protocol violation from backend: " + e.getMessage(),
                ErrorResponse.fatal(SqlState.PROTOCOL_VIOLATION, "invalid message from backend: " + e.getMessage()));
    }

    /** IDLE when nothing is outstanding on the backend, else IN_QUERY unless a COPY runs. */
    void refreshState() {
        if ((tx == null || tx.quiet()) && allQuiet()) {
            moveTo(SessionState.IDLE);
        } else if (state == SessionState.IDLE) {
            moveTo(SessionState.IN_QUERY);
        }
    }

    /** Runs twice per relayed exchange: a session on one backend checks it without an iterator. */
    private boolean allQuiet() {
        if (backends.size() == 1 && current != null) {
            return current.isQuiet();
        }
        for (BackendConnection b : backends.values()) {
            if (!b.isQuiet()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void onProtocolError(PgProtocolException e) {
        close("protocol violation: " + e.getMessage(), e.toErrorResponse());
    }

    // ---- ending ----

    /** The backend went away under an active session. */
    void backendLost(BackendConnection conn, String reason) {
        if (state != SessionState.CLOSED && routing != null && (routing.canDrop(conn) || routing.canRetry(conn))) {
            dropBackend(conn, reason);
            return;
        }
        removeBackend(conn.node().id());
        if (conn == current) {
            current = null;
        }
        ErrorResponse err = fatalRelayed ? null
                : ErrorResponse.fatal(SqlState.CONNECTION_FAILURE, "terminating connection because the backend connection was lost", reason);
        close(reason, err);
    }

    /**
     * Backend node {@code nodeId} went down: a quiet read node outside a transaction is dropped
     * and the session goes on; otherwise the session ends with a FATAL error.
     */
    public void nodeDown(int nodeId, String reason) {
        if (tx != null) {
            tx.nodeDown(nodeId, reason);
            return;
        }
        BackendConnection c = backends.get(nodeId);
        if (c == null) {
            return;
        }
        if (routing != null && (routing.canDrop(c) || routing.canRetry(c))) {
            dropBackend(c, reason);
            return;
        }
        close(reason, ErrorResponse.fatal(SqlState.CONNECTION_FAILURE,
                "terminating connection because backend node " + nodeId + " was detached", reason));
    }

    private void dropBackend(BackendConnection c, String reason) {
        int node = c.node().id();
        log.info("session {}: dropping read node {} ({}); continuing on another node", id, node, reason);
        removeBackend(node);
        filters.remove(node);
        cancelKeys = cancelKeys.stream().filter(k -> !(k.host().equals(c.node().host()) && k.port() == c.node().port())).toList();
        ctx.pool().close(c, reason);
        routing.dropped(node);
    }

    /**
     * Ends the session: sends {@code error} if given, closes the client, returns quiet backends to
     * the pool (the pool resets them) and closes busy ones. Every close has a reason, logged here.
     */
    public void close(String reason, ErrorResponse error) {
        if (state == SessionState.CLOSED) {
            return;
        }
        SessionState was = state;
        moveTo(SessionState.CLOSED);
        flow.close();
        log.debug("session {} closed in state {}: {}", id, was, reason);
        if (ctx.logging().disconnections()) {
            logDisconnection();
        }
        if (error != null) {
            toClient.write(error.encode());
        } else {
            toClient.flush();
        }
        client.close();
        SocketReads.drain(client);
        if (authRead != null) {
            authRead.tryFail(new PgProtocolException(SqlState.CONNECTION_FAILURE, reason));
            authRead = null;
        }
        if (tx != null) {
            tx.closed(reason);
        }
        if (routing != null) {
            routing.closed();
        }
        for (BackendConnection b : backends.values()) {
            ctx.pool().release(b, reason);
        }
        backends.clear();
        backendSockets.clear();
        current = null;
        startup.closed();
        ctx.sessions().remove(this);
        ctx.runtime().sessionEnded(this);
    }

    /** pgpool's log_disconnections line, with the session time as PostgreSQL prints it. */
    private void logDisconnection() {
        long ms = ageNanos() / 1_000_000;
        log.info("frontend disconnection: session time: {} user={} database={} host={} port={}",
                String.format("%d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000),
                user(), database(), clientHost, client.remoteAddress().port());
    }
}
