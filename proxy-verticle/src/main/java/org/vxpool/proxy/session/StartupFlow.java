package org.vxpool.proxy.session;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.proxy.pool.BackendAuthenticator;
import org.vxpool.proxy.pool.BackendConnection;
import org.vxpool.proxy.pool.BackendCredentials;
import org.vxpool.proxy.pool.MissingCredentialsException;
import org.vxpool.proxy.pool.BackendRejectedException;
import org.vxpool.proxy.pool.BackendUnavailableException;
import org.vxpool.proxy.pool.PoolKey;
import org.vxpool.proxy.pool.TransactionPool;
import org.vxpool.proxy.protocol.Authentication;
import org.vxpool.proxy.protocol.BackendKeyData;
import org.vxpool.proxy.protocol.ErrorFields;
import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.proxy.protocol.NoticeResponse;
import org.vxpool.proxy.protocol.Frame;
import org.vxpool.proxy.protocol.NegotiateProtocolVersion;
import org.vxpool.proxy.protocol.ParameterStatus;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.PgProtocolException;
import org.vxpool.proxy.protocol.ReadyForQuery;
import org.vxpool.proxy.protocol.SqlState;
import org.vxpool.proxy.protocol.StartupMessage;

/**
 * Start-up as a pipeline: StartupMessage (held while a graceful detach waits, {@link Drain}),
 * client limit, route (waiting for a primary while none is
 * known, see {@link PrimaryWait}), {@link ClientAuthenticator},
 * backend connection (pooled, or new with relayed authentication), then the welcome messages
 * (AuthenticationOk unless relayed, ParameterStatus, vxpool's own BackendKeyData, ReadyForQuery).
 */
final class StartupFlow implements AuthContext {
    private static final Logger log = LoggerFactory.getLogger(StartupFlow.class);

    private final ClientSession s;
    private StartupMessage startup;
    private BackendNode node;
    /** No primary is coming as far as the proxy can tell: the session runs on a standby. */
    private boolean withoutPrimary;
    private BackendKeyData ownKey;
    private boolean counted;
    private boolean authRelayed;
    /** pool_mode = transaction: what the start-up parameters give; null in session mode. */
    private TxStartup txStartup;
    /** Registered with {@link PrimaryWait} while waiting for a primary; null otherwise. */
    private Runnable waiter;
    private long waitTimer = -1;
    /** Opens another backend with this session's login, for load balancing; null in pass-through. */
    private Function<BackendNode, Future<BackendConnection>> opener;

    StartupFlow(ClientSession session) {
        this.s = session;
    }

    void begin(Buffer packet) {
        startup = StartupMessage.decode(packet);
        s.decoder.startupDone();
        if (s.ctx.runtime().drain().active()) {
            // a graceful detach waits for every client to leave: this one starts once it is over
            log.debug("session {}: held while a graceful detach waits for clients to leave", s.id());
            s.moveTo(SessionState.HELD);
            return;
        }
        admit();
    }

    /** The StartupMessage is read and no graceful detach holds the client: on with the start-up. */
    void admit() {
        s.holdClient();
        s.moveTo(SessionState.AUTHENTICATING);
        negotiateVersion();
        if (!s.ctx.runtime().tryAddClient(s.ctx.settings().numInitChildren())) {
            s.close("num_init_children reached", ErrorResponse.fatal(SqlState.TOO_MANY_CONNECTIONS,
                    "sorry, too many clients already"));
            return;
        }
        counted = true;
        txStartup = s.ctx.txPool() == null ? null : TxStartup.of(startup);
        String unsupported = txStartup == null ? null : txStartup.unsupported();
        if (unsupported != null) {
            s.close("start-up parameter not supported in transaction pooling: " + unsupported,
                    ErrorResponse.fatal(SqlState.FEATURE_NOT_SUPPORTED, "unsupported startup parameter \"" + unsupported
                            + "\" with pool_mode = transaction", "vxpool cannot carry this setting from one backend connection to the next"));
            return;
        }
        Optional<BackendNode> target = Routing.sessionNode(s.ctx.view().get());
        if (target.isPresent()) {
            start(target.get());
        } else {
            waitForPrimary();
        }
    }

    /** Authentication and the backend connection, on {@code primary}. */
    private void start(BackendNode primary) {
        node = primary;
        ownKey = s.ctx.runtime().cancelRegistry().register(s);
        Future<AuthOutcome> outcome;
        try {
            outcome = s.ctx.authenticator().authenticate(this);
        } catch (RuntimeException e) {
            outcome = Future.failedFuture(e);
        }
        if (s.ctx.txPool() != null) {
            outcome.onComplete(ar -> {
                if (ar.failed()) {
                    fail(ar.cause());
                } else if (s.state() != SessionState.CLOSED) {
                    transactionStart(ar.result());
                }
            });
            return;
        }
        outcome.compose(this::backendFor).onComplete(this::sessionModeResult);
    }

    // ---- no primary known yet (start-up, failover) ----

    /**
     * Holds the client, without any backend connection, until a view names a primary or the
     * window of {@link PrimaryWait} closes. The client is read meanwhile, so one that gives up is
     * noticed and cleaned up at once.
     */
    private void waitForPrimary() {
        PrimaryWait wait = s.ctx.primaryWait();
        long left = wait.remainingNanos(s.ctx.settings().primaryWaitNanos(), System.nanoTime());
        if (!PrimaryWait.primaryMayAppear(s.ctx.view().get())) {
            noPrimary("every backend node is down");
            return;
        }
        if (left == 0) {
            serveWithoutPrimary("no backend node has been in primary role and up for search_primary_node_timeout ("
                    + windowSeconds() + " s)");
            return;
        }
        s.moveTo(SessionState.WAITING_PRIMARY);
        s.resumeClient();
        waiter = this::lookAgain;
        wait.add(waiter);
        long ms = Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
        waitTimer = s.ctx.vertx().setTimer(ms, t -> {
            waitTimer = -1;
            stopWaiting();
            serveWithoutPrimary("no backend node became primary within search_primary_node_timeout (" + windowSeconds() + " s)");
        });
        log.debug("session {}: no primary node yet; waiting up to {} ms for one", s.id(), ms);
    }

    /** A new view arrived while waiting. */
    private void lookAgain() {
        if (s.state() != SessionState.WAITING_PRIMARY) {
            return;
        }
        ClusterView view = s.ctx.view().get();
        Optional<BackendNode> target = Routing.sessionNode(view);
        if (target.isPresent()) {
            stopWaiting();
            log.debug("session {}: node {} is primary; starting", s.id(), target.get().id());
            s.holdClient();
            s.moveTo(SessionState.AUTHENTICATING);
            start(target.get());
        } else if (!PrimaryWait.primaryMayAppear(view)) {
            stopWaiting();
            noPrimary("every backend node is down");
        }
    }

    private void stopWaiting() {
        if (waiter != null) {
            s.ctx.primaryWait().remove(waiter);
            waiter = null;
        }
        if (waitTimer >= 0) {
            s.ctx.vertx().cancelTimer(waitTimer);
            waitTimer = -1;
        }
    }

    private long windowSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(s.ctx.settings().primaryWaitNanos());
    }

    /**
     * The wait for a primary is over without one. As pgpool-II does then, the client is served by
     * the lowest-numbered node that is up: reads work, and writes fail as that standby fails them
     * (25006). In transaction pooling each transaction goes to the primary again once one is known.
     */
    private void serveWithoutPrimary(String why) {
        Optional<BackendNode> standby = Routing.readOnlyNode(s.ctx.view().get());
        if (standby.isEmpty()) {
            noPrimary(why);
            return;
        }
        log.debug("session {}: {}; serving it read-only from node {}", s.id(), why, standby.get().id());
        if (s.state() == SessionState.WAITING_PRIMARY) {
            s.holdClient();
            s.moveTo(SessionState.AUTHENTICATING);
        }
        withoutPrimary = true;
        start(standby.get());
    }

    private void noPrimary(String detail) {
        s.close("no primary node: " + detail, ErrorResponse.fatal(SqlState.CANNOT_CONNECT_NOW,
                "no primary node is available", detail));
    }

    // ---- pool_mode = transaction ----

    /**
     * Transaction pooling: a client vxpool vouches for starts without a backend when this login
     * shape was seen before; relayed or backend-verified logins that leave a connection no other
     * client may use are served in session mode.
     */
    private void transactionStart(AuthOutcome outcome) {
        if (outcome instanceof AuthOutcome.Authenticated a) {
            pooledStart(a.credentials());
        } else if (outcome instanceof AuthOutcome.PassThrough) {
            relayedStart();
        } else {
            backendFor(outcome).onComplete(this::sessionModeResult);
        }
    }

    private void pooledStart(BackendCredentials credentials) {
        String shape = txStartup.shape(node.id());
        TransactionPool.Welcome cached = s.ctx.txPool().welcome(shape);
        if (cached != null) {
            welcomeTransaction(cached, credentials);
            return;
        }
        s.ctx.pool().connect(node, key(), txStartup.backendStartup(), credentials.newLogin(startup.user()), true).onComplete(ar -> {
            if (ar.failed()) {
                if (ar.cause() instanceof MissingCredentialsException && credentials == BackendCredentials.NONE
                        && s.state() == SessionState.AUTHENTICATING) {
                    relayedStart();
                } else {
                    fail(ar.cause());
                }
                return;
            }
            BackendConnection c = ar.result();
            TransactionPool.Welcome welcome = s.ctx.txPool().rememberWelcome(shape, c.parameterStatus());
            s.ctx.txPool().giveBack(c);
            if (s.state() != SessionState.CLOSED) {
                welcomeTransaction(welcome, credentials);
            }
        });
    }

    private void relayedStart() {
        passThrough().onComplete(ar -> {
            if (ar.failed()) {
                fail(ar.cause());
                return;
            }
            BackendConnection c = ar.result();
            if (!c.poolable()) {
                log.debug("session {}: the backend verified this login; served in session mode", s.id());
                sessionModeResult(ar);
                return;
            }
            TransactionPool.Welcome welcome = s.ctx.txPool().rememberWelcome(txStartup.shape(node.id()), c.parameterStatus());
            // opened with every start-up parameter of this client: not a connection for others
            s.ctx.pool().close(c, "first login of this user learned the server's parameters");
            if (s.state() != SessionState.CLOSED) {
                welcomeTransaction(welcome, BackendCredentials.NONE);
            }
        });
    }

    private void sessionModeResult(io.vertx.core.AsyncResult<BackendConnection> ar) {
        if (ar.failed()) {
            fail(ar.cause());
        } else if (s.state() == SessionState.CLOSED) {
            s.ctx.pool().release(ar.result(), "client left during start-up");
        } else {
            welcome(ar.result());
        }
    }

    private void welcomeTransaction(TransactionPool.Welcome welcome, BackendCredentials credentials) {
        Buffer out = Buffer.buffer(64 + welcome.frames().length());
        if (!authRelayed) {
            out.appendBuffer(Authentication.ok());
        }
        out.appendBuffer(welcome.frames());
        out.appendBuffer(ownKey.encode());
        if (withoutPrimary) {
            out.appendBuffer(readOnlyWarning("its transactions go to the primary once one is known"));
        }
        out.appendBuffer(new ReadyForQuery(PgProtocol.TxStatus.IDLE).encode());
        s.toClient.write(out);
        s.attachTransaction(startup, txStartup, welcome.parameterStatus(), credentials);
    }

    /** PostgreSQL answers a 3.x (x > 0) request or {@code _pq_.} options this way and goes on with 3.0. */
    private void negotiateVersion() {
        List<String> unknown = startup.parameters().keySet().stream().filter(k -> k.startsWith("_pq_.")).toList();
        if (startup.minorVersion() > 0 || !unknown.isEmpty()) {
            s.toClient.write(new NegotiateProtocolVersion(0, unknown).encode());
        }
    }

    private Future<BackendConnection> backendFor(AuthOutcome outcome) {
        if (outcome instanceof AuthOutcome.BackendVerifies v) {
            opener = other -> s.ctx.pool().connect(other, keyOf(other), startup, v.credentials().newLogin(startup.user()), false);
            return s.ctx.pool().connect(node, key(), startup, v.credentials().newLogin(startup.user()), false);
        }
        if (!(outcome instanceof AuthOutcome.Authenticated a)) {
            return passThrough();
        }
        Future<BackendConnection> pooled = s.ctx.pool().acquire(node, key(), startup, a.credentials());
        opener = other -> s.ctx.pool().acquire(other, keyOf(other), startup, a.credentials());
        if (a.credentials() != BackendCredentials.NONE) {
            return pooled;
        }
        // the backend stopped trusting this user; the client has seen nothing yet, so relay instead
        return pooled.recover(e -> e instanceof MissingCredentialsException && s.state() == SessionState.AUTHENTICATING
                ? passThrough() : Future.failedFuture(e));
    }

    private Future<BackendConnection> passThrough() {
        opener = null;
        return s.ctx.pool().connect(node, key(), startup, new PassThrough(), false);
    }

    private PoolKey key() {
        return keyOf(node);
    }

    private PoolKey keyOf(BackendNode n) {
        return new PoolKey(n.id(), startup.user(), startup.database());
    }

    private void welcome(BackendConnection conn) {
        Buffer out = Buffer.buffer(512);
        if (!authRelayed) {
            out.appendBuffer(Authentication.ok());
        }
        conn.parameterStatus().forEach((k, v) -> out.appendBuffer(new ParameterStatus(k, v).encode()));
        out.appendBuffer(ownKey.encode());
        if (withoutPrimary) {
            out.appendBuffer(readOnlyWarning("the session ends when a primary is known again"));
        }
        out.appendBuffer(new ReadyForQuery(conn.txStatus()).encode());
        s.toClient.write(out);
        s.attach(conn, startup, withoutPrimary ? null : opener, withoutPrimary);
    }

    private Buffer readOnlyWarning(String then) {
        return new NoticeResponse(ErrorFields.of("WARNING", SqlState.WARNING,
                "no primary node is available: this session runs on standby node " + node.id() + " and cannot write",
                "no node became primary within search_primary_node_timeout (" + windowSeconds() + " s); " + then)).encode();
    }

    private void fail(Throwable e) {
        if (e instanceof BackendRejectedException r) {
            // an ERROR from set_config ends the start-up just as a bad start-up parameter would: FATAL
            s.toClient.write(r.error().isFatal() ? r.rawError() : r.error().asFatal().encode());
            s.close("backend refused start-up: " + r.getMessage(), null);
        } else if (e instanceof PgProtocolException p) {
            s.close("start-up failed: " + p.getMessage(), p.toErrorResponse());
        } else if (e instanceof BackendUnavailableException u) {
            s.close(u.getMessage(), ErrorResponse.fatal(SqlState.CONNECTION_FAILURE, u.getMessage()));
        } else {
            log.warn("start-up failed", e);
            s.close("start-up failed: " + e, ErrorResponse.fatal(SqlState.INTERNAL_ERROR, "vxpool start-up failed: " + e));
        }
    }

    /** The session ended: give back the client slot and the cancel key. */
    void closed() {
        stopWaiting();
        if (counted) {
            counted = false;
            s.ctx.runtime().removeClient();
        }
        s.ctx.runtime().cancelRegistry().unregister(ownKey);
        ownKey = null;
    }

    /** Relays the backend's authentication requests to the client and its answers back. */
    private final class PassThrough implements BackendAuthenticator {
        @Override
        public Future<Buffer> answer(Authentication request, Buffer raw) {
            s.toClient.write(raw);
            if (request.code() == PgProtocol.Auth.SASL_FINAL) {
                return Future.succeededFuture(null);
            }
            return s.readMessage().map(f -> {
                if (f.type() != PgProtocol.Frontend.PASSWORD) {
                    throw new PgProtocolException(SqlState.PROTOCOL_VIOLATION,
                            "expected password response, got message type \"" + (char) f.type() + "\"");
                }
                return f.encode();
            });
        }

        @Override
        public void accepted(Buffer raw) {
            authRelayed = true;
            s.toClient.write(raw);
        }
    }

    // ---- AuthContext ----

    @Override
    public StartupMessage startup() {
        return startup;
    }

    @Override
    public SocketAddress remoteAddress() {
        return s.client.remoteAddress();
    }

    @Override
    public boolean ssl() {
        return s.ssl;
    }

    @Override
    public javax.net.ssl.SSLSession sslSession() {
        return s.ssl ? s.client.sslSession() : null;
    }

    @Override
    public Vertx vertx() {
        return s.ctx.vertx();
    }

    @Override
    public BackendNode node() {
        return node;
    }

    @Override
    public boolean backendTrusts() {
        return s.ctx.pool().trusted(key());
    }

    @Override
    public void send(Buffer message) {
        s.toClient.write(message);
    }

    @Override
    public Future<Frame> readMessage() {
        return s.readMessage();
    }
}
