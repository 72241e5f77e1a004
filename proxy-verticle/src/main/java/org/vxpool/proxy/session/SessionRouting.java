package org.vxpool.proxy.session;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.proxy.pool.BackendConnection;
import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.proxy.protocol.MessageBuilder;
import org.vxpool.proxy.protocol.Parse;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.Query;
import org.vxpool.proxy.protocol.ReadyForQuery;
import org.vxpool.proxy.protocol.SqlState;
import org.vxpool.proxy.routing.Classification;
import org.vxpool.proxy.routing.ClassifiedStatement;
import org.vxpool.proxy.stats.QueryKind;
import org.vxpool.proxy.routing.NamedStatementRegistry;
import org.vxpool.proxy.routing.PreparedOp;
import org.vxpool.proxy.routing.RouteDecision;
import org.vxpool.proxy.routing.RouteTarget;
import org.vxpool.proxy.routing.RoutingContext;
import org.vxpool.proxy.routing.StatementKind;
import org.vxpool.proxy.session.ResponseFilter.Mark;
import org.vxpool.proxy.show.ShowCommands;

/**
 * Decides where each routing unit of one session runs: a Query message, or an extended-protocol
 * batch up to Sync. Without load balancing (no router, pass-through login, one node) only
 * {@code SHOW pool_*} is looked at and everything else takes {@link ClientSession}'s plain relay.
 * A unit for another backend waits, with the client paused, until the backends it does not run
 * on are quiet, so answers reach the client in order.
 *
 * <p>Frames may be slices of Netty's read buffer, lent only until the client read is decoded
 * ({@link ClientSession#canBorrow}). What is sent at once goes out as retained slices or is
 * copied into the outgoing buffer. What outlives the read holds a reference to it instead: a unit
 * waiting for another backend ({@link #heldPin}) and a read kept to be sent again on the primary
 * ({@link Retry#pin}) retain the buffer and release it when they are done; a batch still waiting
 * for its Sync copies its frames ({@link #unborrow}).
 */
final class SessionRouting {
    private static final Logger log = LoggerFactory.getLogger(SessionRouting.class);

    private final ClientSession s;
    private final boolean balancing;
    private final int primaryNode;
    private final Function<BackendNode, Future<BackendConnection>> opener;
    private final NamedStatementRegistry statements = new NamedStatementRegistry();
    /** Session SETs, replayed on a backend opened later so it starts in the same state. */
    private final List<String> sessionSets = new ArrayList<>();
    private final SplittableRandom rng = new SplittableRandom();
    private RoutingContext rctx;
    private int lastNode;
    private ExtendedBatch batch;
    /** The batch dispatched last: reused for the next one once nothing that waits refers to it. */
    private ExtendedBatch lastBatch;
    /** The plain relay passed extended-protocol frames that no Sync has closed yet. */
    private boolean plainUnsynced;
    /** The node a flushed but not yet synced batch runs on. */
    private int batchNode = -1;
    private IntConsumer held;
    /** The read buffer {@link #held}'s frames may be slices of, retained; null when they are not. */
    private ByteBuf heldPin;
    /** The client read being decoded while it is Netty's buffer, else null. */
    private ByteBuf lent;
    /** The buffer the frames of the unit being sent may be slices of: {@link #lent}, or a pin being run. */
    private ByteBuf source;
    /** vxpool's own answer (SHOW) is being computed. */
    private boolean answering;
    private int heldNode;
    /** The read in flight on a standby that may run again on the primary if that standby dies first. */
    private Retry retry;
    /** How {@link #sendBatch} writes; one per session, a batch is sent at a time. */
    private final BatchBytes batchBytes = new BatchBytes();
    /** Promise-less writers to the backends, by node id; see {@link #writer}. */
    private RelayWriter[] writers = new RelayWriter[0];

    /**
     * A unit sent alone to a standby outside a transaction, and how to send it again;
     * {@code pin} is the retained read buffer its frames may be slices of, or null.
     */
    private record Retry(int node, IntConsumer send, ByteBuf pin) {
    }

    SessionRouting(ClientSession session, int primaryNode, String database, String applicationName, Map<String, String> startupGucs,
                   Function<BackendNode, Future<BackendConnection>> opener) {
        this.s = session;
        this.primaryNode = primaryNode;
        this.lastNode = primaryNode;
        ClusterView view = s.ctx.view().get();
        this.balancing = s.ctx.router() != null && opener != null && view != null && view.nodes().size() > 1;
        this.opener = opener;
        this.rctx = balancing ? s.ctx.router().startSession(database, applicationName, startupGucs, view, rng) : null;
    }

    boolean balancing() {
        return balancing;
    }

    /**
     * log_statement or log_per_node_statement, as the session has them now (PGPOOL SET may turn
     * them on): every Query and Parse is decoded, none relayed plainly.
     */
    private boolean logsStatements() {
        return s.logging().anyStatement();
    }

    /** The session's read node for SHOW pool_nodes, or -1. */
    int loadBalanceNode() {
        return rctx == null ? -1 : rctx.loadBalanceNode();
    }

    /** Whether the plain relay may take this frame: no routing, no batch or unit pending, no SHOW. */
    boolean plainRelay(byte type, Buffer src, int start, int length) {
        if (balancing || batch != null || held != null || answering || logsStatements()) {
            return false;
        }
        if (plainUnsynced) {
            // the backend holds the first frames of this batch: the rest must follow them there,
            // a SHOW pool_* among them included (PostgreSQL then refuses it, as transaction pooling does)
            plainUnsynced = type != PgProtocol.Frontend.SYNC && type != PgProtocol.Frontend.QUERY;
            return true;
        }
        boolean plain = switch (type) {
            case PgProtocol.Frontend.QUERY -> !ShowCommands.mayBeShow(src, start + 5, start + length);
            case PgProtocol.Frontend.PARSE -> !ShowCommands.mayBeShow(src, skipCString(src, start + 5, start + length), start + length);
            // a Close may come in front of a SHOW's Parse (JDBC sends its cache evictions with the next query)
            case PgProtocol.Frontend.CLOSE -> false;
            // a named SHOW pool_* exists only here: a later Bind or Describe of it must not reach the backend
            case PgProtocol.Frontend.BIND -> statements.size() == 0
                    || !statements.contains(readCString(src, skipCString(src, start + 5, start + length), start + length));
            case PgProtocol.Frontend.DESCRIBE -> statements.size() == 0 || src.getByte(start + 5) != 'S'
                    || !statements.contains(readCString(src, start + 6, start + length));
            default -> true;
        };
        plainUnsynced = plain && switch (type) {
            case PgProtocol.Frontend.PARSE, PgProtocol.Frontend.BIND, PgProtocol.Frontend.DESCRIBE,
                    PgProtocol.Frontend.EXECUTE, PgProtocol.Frontend.FLUSH -> true;
            default -> false;
        };
        return plain;
    }

    void frame(byte type, Buffer src, int start, int length) {
        switch (type) {
            case PgProtocol.Frontend.QUERY -> query(src, start, length);
            case PgProtocol.Frontend.PARSE, PgProtocol.Frontend.BIND, PgProtocol.Frontend.DESCRIBE,
                    PgProtocol.Frontend.EXECUTE, PgProtocol.Frontend.CLOSE, PgProtocol.Frontend.FLUSH,
                    PgProtocol.Frontend.SYNC -> extended(type, src, start, length);
            case PgProtocol.Frontend.FUNCTION_CALL -> {
                Buffer f = src.slice(start, start + length);
                run(primaryNode, n -> sendUnit(n, f, type));
            }
            default -> {
                // COPY data and anything else follow the unit that runs
                BackendConnection c = s.backend(lastNode);
                if (c != null) {
                    c.sent(type);
                    // a retained slice: src may be a lent read buffer
                    writer(c).send(src.slice(start, start + length));
                }
            }
        }
    }

    // ---- simple protocol ----

    private void query(Buffer src, int start, int length) {
        String sql = Query.decode(src.slice(start + 5, start + length)).sql();
        Classification c = s.ctx.classifier().classify(sql, standardConformingStrings());
        RouteDecision d = decide(c.statements());
        Buffer frame = src.slice(start, start + length);
        if (logsStatements()) {
            s.logging().statement(sql);
        }
        switch (d.target()) {
            case INTERCEPT -> run(-1, n -> answer(ShowCommands.simple(showStatement(c.statements()), view(this), txStatus())));
            case NO_NODE -> run(-1, n -> answer(noNode(d.reason())));
            case ALL_SESSION_NODES -> {
                rememberSessionState(c.statements(), sql);
                run(-1, n -> {
                    for (BackendConnection b : List.copyOf(s.backendList())) {
                        if (logsStatements()) {
                            s.logging().nodeStatement(b.node().id(), sql);
                        }
                        sendUnit(b.node().id(), frame, PgProtocol.Frontend.QUERY, b.node().id() != primaryNode);
                    }
                });
            }
            default -> {
                countSelects(c.statements(), d.nodeId());
                run(d.nodeId(), retryable(d, true, n -> {
                    if (logsStatements()) {
                        s.logging().nodeStatement(n, sql);
                    }
                    sendUnit(n, frame, PgProtocol.Frontend.QUERY);
                }));
            }
        }
    }

    private void sendUnit(int node, Buffer frame, byte type) {
        sendUnit(node, frame, type, false);
    }

    private void sendUnit(int node, Buffer frame, byte type, boolean hidden) {
        clearRetry();
        BackendConnection c = s.backend(node);
        s.filter(c).push(hidden ? Mark.SYNC_HIDDEN : Mark.SYNC_SHOWN);
        c.sent(type);
        writer(c).send(frame);
        if (!hidden) {
            lastNode = node;
        }
    }

    // ---- extended protocol ----

    /** One frame of a batch: bytes {@code [start, start + length)} of {@code src}, kept as positions. */
    private void extended(byte type, Buffer src, int start, int length) {
        if (batch == null) {
            batch = reusable();
        }
        int end = start + length;
        String stmt = null;
        switch (type) {
            case PgProtocol.Frontend.PARSE -> {
                Parse p = Parse.decode(src.slice(start + 5, end));
                if (logsStatements()) {
                    s.logging().statement(p.query());
                }
                Classification c = s.ctx.classifier().classify(p.query(), standardConformingStrings());
                ClassifiedStatement cs = c.statements().size() == 1 ? c.single()
                        : ClassifiedStatement.of(c.isEmpty() ? StatementKind.READ : StatementKind.UNKNOWN, "parse", p.query());
                statements.register(p.name(), p.query(), p.parameterTypes(), cs);
                batch.statements.add(cs);
                batch.seen.add(p.name());
                stmt = p.name();
            }
            // only the statement name, after the portal name: parameters are never decoded
            case PgProtocol.Frontend.BIND -> stmt = uses(readCString(src, skipCString(src, start + 5, end), end));
            case PgProtocol.Frontend.DESCRIBE, PgProtocol.Frontend.CLOSE -> {
                if (src.getByte(start + 5) == 'S') {
                    String name = readCString(src, start + 6, end);
                    stmt = type == PgProtocol.Frontend.DESCRIBE ? uses(name) : name;
                }
            }
            default -> {
            }
        }
        batch.add(type, src, start, length, stmt);
        if (type == PgProtocol.Frontend.SYNC || type == PgProtocol.Frontend.FLUSH) {
            dispatch(batch, type == PgProtocol.Frontend.SYNC);
            lastBatch = batch;
            batch = null;
        }
    }

    /**
     * The last batch, emptied, when nothing can still send it: a held unit, a read kept for a
     * retry and vxpool's own answer are the only things that outlive a dispatch and refer to it
     * (a batch sent at once was copied into the outgoing buffer). Else a new one.
     */
    private ExtendedBatch reusable() {
        ExtendedBatch b = lastBatch;
        lastBatch = null;
        if (b == null || held != null || retry != null || answering) {
            return new ExtendedBatch();
        }
        b.clear();
        return b;
    }

    /** A Bind or Describe of {@code name}: its classification routes the batch unless a Parse did. */
    private String uses(String name) {
        if (batch.seen.add(name)) {
            statements.get(name).ifPresent(e -> batch.statements.add(e.classification()));
        }
        return name;
    }

    private void dispatch(ExtendedBatch b, boolean synced) {
        int pinned = batchNode;
        batchNode = -1;
        if (pinned >= 0) {
            run(pinned, n -> sendBatch(n, b, false));
        } else if (onlyShowPool(b.statements)) {
            ClassifiedStatement show = showStatement(b.statements);
            run(-1, n -> {
                closeOnBackends(b);
                answer(ShowCommands.extended(show, b.codes(), view(this), txStatus()));
            });
            return;
        } else if (b.statements.isEmpty()) {
            pinned = lastNode;
            run(lastNode, n -> sendBatch(n, b, false));
        } else {
            RouteDecision d = decide(b.statements);
            switch (d.target()) {
                case NO_NODE -> {
                    run(-1, n -> answer(b.endsWithSync() ? noNode(d.reason()) : ErrorResponse.error(SqlState.CONNECTION_FAILURE, d.reason()).encode()));
                    return;
                }
                case ALL_SESSION_NODES -> {
                    b.statements.forEach(st -> rememberSessionState(List.of(st), st.text()));
                    pinned = primaryNode;
                    run(-1, n -> {
                        for (BackendConnection c : List.copyOf(s.backendList())) {
                            sendBatch(c.node().id(), b, c.node().id() != primaryNode);
                        }
                    });
                }
                default -> {
                    pinned = d.nodeId();
                    countSelects(b.statements, pinned);
                    run(pinned, retryable(d, synced, n -> sendBatch(n, b, false)));
                }
            }
        }
        if (!synced) {
            batchNode = pinned;
        }
    }

    /** vxpool answers a batch itself only when it holds nothing but SHOW pool_*; else PostgreSQL has its say. */
    private static boolean onlyShowPool(List<ClassifiedStatement> list) {
        for (ClassifiedStatement st : list) {
            if (st.kind() != StatementKind.SHOW_POOL) {
                return false;
            }
        }
        return !list.isEmpty();
    }

    /**
     * The Closes of a batch vxpool answers itself still reach the backends that hold the
     * statement or portal, unseen (the answer carries the client's CloseComplete).
     */
    private void closeOnBackends(ExtendedBatch b) {
        for (ExtendedBatch.Item it : b.items) {
            if (it.type() != PgProtocol.Frontend.CLOSE) {
                continue;
            }
            boolean statement = it.frame().getByte(5) == 'S';
            String name = readCString(it.frame(), 6, it.length());
            if (statement && statements.contains(name)) {
                closeElsewhere(name, -1);
                continue;
            }
            // not known here: a portal, or a statement the plain relay prepared on the session's node
            BackendConnection c = s.backend(lastNode);
            if (c != null) {
                hiddenClose(c, it.frame());
            }
        }
    }

    private void sendBatch(int node, ExtendedBatch b, boolean hidden) {
        clearRetry();
        BackendConnection c = s.backend(node);
        ResponseFilter f = s.filter(c);
        BatchBytes out = batchBytes.begin(writer(c), b.length() + 64);
        try {
            for (ExtendedBatch.Item it : b.items) {
                switch (it.type()) {
                    case PgProtocol.Frontend.PARSE -> {
                        f.push(hidden ? Mark.PARSE_HIDDEN : Mark.PARSE_SHOWN);
                        statements.markPrepared(it.statement(), node);
                        if (logsStatements()) {
                            s.logging().nodeStatement(node, Parse.decode(it.frame().slice(5, it.frame().length())).query());
                        }
                    }
                    case PgProtocol.Frontend.BIND, PgProtocol.Frontend.DESCRIBE -> prepareIfNeeded(c, f, out, it.statement());
                    case PgProtocol.Frontend.CLOSE -> closeElsewhere(it.statement(), node);
                    case PgProtocol.Frontend.SYNC -> f.push(hidden ? Mark.SYNC_HIDDEN : Mark.SYNC_SHOWN);
                    default -> {
                    }
                }
                c.sent(it.type());
                out.frame(it.source(), it.start(), it.length());
            }
        } catch (RuntimeException e) {
            out.abandon();
            throw e;
        }
        out.send();
        if (!hidden) {
            lastNode = node;
        }
    }

    /** The client's statement is not prepared on this backend: Parse it there first, unseen. */
    private void prepareIfNeeded(BackendConnection c, ResponseFilter f, BatchBytes out, String name) {
        int node = c.node().id();
        if (name == null || !statements.contains(name) || !statements.needsPrepareOn(name, node)) {
            return;
        }
        NamedStatementRegistry.Entry e = statements.get(name).orElseThrow();
        out.insert(new Parse(e.name(), e.text(), e.parameterTypes()).encode());
        c.sent(PgProtocol.Frontend.PARSE);
        f.push(Mark.PARSE_HIDDEN);
        statements.markPrepared(name, node);
    }

    /**
     * The writer to {@code c}'s socket: it writes without a promise per write (see
     * {@link RelayWriter}); a node's connection may have been replaced since, hence the check.
     */
    private RelayWriter writer(BackendConnection c) {
        int id = c.node().id();
        if (id >= writers.length) {
            writers = Arrays.copyOf(writers, id + 1);
        }
        RelayWriter w = writers[id];
        if (w == null || w.socket() != c.socket()) {
            w = new RelayWriter(c.socket());
            writers[id] = w;
        }
        return w;
    }

    /** Close of a statement reaches every backend that has it; the others answer unseen. */
    private void closeElsewhere(String name, int node) {
        if (name == null) {
            return;
        }
        for (int other : statements.closeEverywhere(name)) {
            BackendConnection o = s.backend(other);
            if (other != node && o != null) {
                hiddenClose(o, MessageBuilder.typed(PgProtocol.Frontend.CLOSE).int8('S').cstring(name).build());
            }
        }
    }

    /** Sends {@code close} and a Sync to {@code c}; their answers are not shown to the client. */
    private void hiddenClose(BackendConnection c, Buffer close) {
        Buffer sync = MessageBuilder.typed(PgProtocol.Frontend.SYNC).build();
        s.filter(c).push(Mark.SYNC_HIDDEN);
        c.sent(PgProtocol.Frontend.CLOSE);
        c.sent(PgProtocol.Frontend.SYNC);
        c.send(Buffer.buffer().appendBuffer(close).appendBuffer(sync));
    }

    // ---- decisions and waiting ----

    private RouteDecision decide(List<ClassifiedStatement> list) {
        if (!balancing) {
            boolean show = list.size() == 1 && list.get(0).kind() == StatementKind.SHOW_POOL;
            return new RouteDecision(show ? RouteTarget.INTERCEPT : RouteTarget.PRIMARY, primaryNode, "no load balancing", null);
        }
        RouteDecision d = s.router().route(rctx, list, s.ctx.view().get(), s.ctx.lags().get(), rng);
        rctx = d.context();
        return d;
    }

    /** Runs {@code action} on {@code node} (-1: every backend) once the others are quiet and the node is open. */
    private void run(int node, IntConsumer action) {
        if (held == null && !answering && canRun(node)) {
            action.accept(node);
            return;
        }
        if (heldPin != null) {
            heldPin.release();
        }
        held = action;
        heldNode = node;
        heldPin = pin();
        s.holdClient();
        if (node >= 0 && s.backend(node) == null) {
            open(node);
        }
    }

    private boolean canRun(int node) {
        for (BackendConnection c : s.backendList()) {
            if (c.node().id() != node && !c.isQuiet()) {
                return false;
            }
        }
        return node < 0 || s.backend(node) != null;
    }

    /** A backend answered ReadyForQuery or opened: run the held unit if it can run now. */
    void release() {
        if (held == null || answering || !canRun(heldNode) || s.state() == SessionState.CLOSED) {
            return;
        }
        IntConsumer a = held;
        ByteBuf p = heldPin;
        held = null;
        heldPin = null;
        runPinned(p, a, heldNode);
        if (held == null && !answering) {
            s.resumeClient();
        }
    }

    private void open(int node) {
        ClusterView view = s.ctx.view().get();
        BackendNode target = view == null ? null
                : view.nodes().stream().filter(n -> n.id() == node).findFirst().orElse(null);
        if (target == null || opener == null) {
            fallBackToPrimary(node, "node " + node + " is not in the view");
            return;
        }
        opener.apply(target).onComplete(ar -> {
            if (s.state() == SessionState.CLOSED) {
                if (ar.succeeded()) {
                    s.ctx.pool().release(ar.result(), "session closed while connecting");
                }
                return;
            }
            if (ar.failed()) {
                fallBackToPrimary(node, ar.cause().getMessage());
                return;
            }
            BackendConnection c = ar.result();
            s.attachSecondary(c);
            for (String set : sessionSets) {
                s.filter(c).push(Mark.SYNC_HIDDEN);
                c.sent(PgProtocol.Frontend.QUERY);
                c.send(new Query(set).encode());
            }
            release();
        });
    }

    private void fallBackToPrimary(int node, String why) {
        log.info("session {}: load-balance node {} unusable ({}); reading from the primary", s.id(), node, why);
        if (rctx != null && !rctx.inTransaction()) {
            rctx = rctx.withLoadBalanceNode(primaryNode);
        }
        if (heldNode == node) {
            heldNode = primaryNode;
        }
        release();
    }

    /** ReadyForQuery from a unit the client sees. */
    void synced(int node, byte status) {
        if (rctx != null) {
            rctx = rctx.syncTransactionStatus((char) status, node);
        }
    }

    /**
     * Wraps the sending of a read unit routed to a standby: sent alone (nothing else in flight
     * there) outside a transaction, it can run again on the primary when the standby dies before
     * any of its answer reached the client. A standby has nothing to undo: it cannot write.
     *
     * @param whole the unit ends with its Sync (a flushed part of a batch is never sent again)
     */
    private IntConsumer retryable(RouteDecision d, boolean whole, IntConsumer send) {
        if (d.target() != RouteTarget.LOAD_BALANCE_NODE || d.nodeId() == primaryNode || !whole) {
            return send;
        }
        return n -> {
            BackendConnection c = s.backend(n);
            boolean alone = n != primaryNode && c != null && c.isQuiet() && c.txStatus() == PgProtocol.TxStatus.IDLE;
            send.accept(n);
            clearRetry();
            if (alone) {
                retry = new Retry(n, send, pin());
            }
        };
    }

    /** A frame of {@code c}'s answer reached the client: its unit can no longer run again elsewhere. */
    void relayed(BackendConnection c) {
        if (retry != null && retry.node() == c.node().id()) {
            clearRetry();
        }
    }

    /** Whether losing {@code c} with a unit in flight can go unnoticed: the unit runs again on the primary. */
    boolean canRetry(BackendConnection c) {
        if (retry == null || retry.node() != c.node().id() || answering) {
            return false;
        }
        BackendConnection primary = s.backend(primaryNode);
        return primary != null && primary.isQuiet();
    }

    /** Whether losing {@code node} can go unnoticed: a quiet read node outside a transaction on it. */
    boolean canDrop(BackendConnection c) {
        int node = c.node().id();
        return balancing && node != primaryNode && c.isQuiet()
                && !(rctx != null && rctx.inTransaction() && rctx.transactionNode() == node);
    }

    void dropped(int node) {
        statements.forgetNode(node);
        if (lastNode == node) {
            lastNode = primaryNode;
        }
        if (retry != null && retry.node() == node) {
            Retry r = retry;
            retry = null;
            log.info("session {}: read node {} was lost before answering; the statement runs again on the primary", s.id(), node);
            runPinned(r.pin(), r.send(), primaryNode);
        }
        if (held != null && heldNode == node) {
            heldNode = primaryNode;
        }
        release();
    }

    // ---- borrowed reads ----

    /** The client read about to be decoded is Netty's buffer {@code chunk}, lent until {@link #unborrow}. */
    void borrow(ByteBuf chunk) {
        lent = chunk;
        source = chunk;
    }

    /**
     * The lent read goes back to Netty. Held and retried units pinned it; a batch still waiting
     * for its Sync (a client that sends it in a later packet) takes copies of its frames.
     */
    void unborrow() {
        lent = null;
        source = null;
        if (batch != null) {
            batch.ownFrames();
        }
    }

    /** A new reference to the buffer the current unit's frames may be slices of, or null. */
    private ByteBuf pin() {
        return source == null ? null : source.retain();
    }

    /** Runs a kept unit whose frames may be slices of {@code pin}, then lets go of the pin. */
    private void runPinned(ByteBuf pin, IntConsumer unit, int node) {
        ByteBuf was = source;
        source = pin;
        try {
            unit.accept(node);
        } finally {
            source = was;
            if (pin != null) {
                pin.release();
            }
        }
    }

    private void clearRetry() {
        Retry r = retry;
        if (r != null) {
            retry = null;
            if (r.pin() != null) {
                r.pin().release();
            }
        }
    }

    /** The session ended: kept units let go of the read buffers they pin. */
    void closed() {
        held = null;
        if (heldPin != null) {
            heldPin.release();
            heldPin = null;
        }
        clearRetry();
        batch = null;
    }

    // ---- helpers ----

    private void rememberSessionState(List<ClassifiedStatement> list, String sql) {
        for (ClassifiedStatement st : list) {
            if (st.prepared() == PreparedOp.DEALLOCATE_ALL) {
                statements.deallocateAll();
            }
        }
        if (balancing && sessionSets.size() < 1000) {
            sessionSets.add(sql);
        }
    }

    private void countSelects(List<ClassifiedStatement> list, int node) {
        // an index, not an iterator: this runs for every routed unit
        for (int i = 0; i < list.size(); i++) {
            // select_cnt is the READ count
            s.ctx.runtime().queries().count(node, QueryKind.of(list.get(i)));
        }
    }

    private void answer(Buffer response) {
        s.toClient.write(response);
    }

    /** An answer vxpool computes, maybe asynchronously: the client waits for it like for a backend. */
    private void answer(Future<Buffer> response) {
        if (response.isComplete()) {
            answer(response.succeeded() ? response.result() : failure(response.cause()));
            return;
        }
        answering = true;
        s.holdClient();
        response.onComplete(ar -> {
            answering = false;
            if (s.state() == SessionState.CLOSED) {
                return;
            }
            answer(ar.succeeded() ? ar.result() : failure(ar.cause()));
            if (held != null) {
                release();
            } else {
                s.resumeClient();
            }
        });
    }

    private Buffer failure(Throwable e) {
        return Buffer.buffer().appendBuffer(ErrorResponse.error(SqlState.INTERNAL_ERROR, "SHOW failed: " + e.getMessage()).encode())
                .appendBuffer(new ReadyForQuery(txStatus()).encode());
    }

    private Buffer noNode(String reason) {
        return Buffer.buffer()
                .appendBuffer(ErrorResponse.error(SqlState.CONNECTION_FAILURE, "no backend node can run this statement: " + reason).encode())
                .appendBuffer(new ReadyForQuery(txStatus()).encode());
    }

    byte txStatus() {
        BackendConnection c = s.backend(lastNode);
        return c == null ? PgProtocol.TxStatus.IDLE : c.txStatus();
    }

    private static ClassifiedStatement showStatement(List<ClassifiedStatement> list) {
        return list.stream().filter(st -> st.kind() == StatementKind.SHOW_POOL).findFirst()
                .orElse(ClassifiedStatement.of(StatementKind.SHOW_POOL, "", ""));
    }

    private static org.vxpool.proxy.show.ShowContext view(SessionRouting r) {
        return r.s.showContext();
    }

    private boolean standardConformingStrings() {
        BackendConnection c = s.backend(primaryNode);
        // per Query and Parse: a plain look-up, not a map view
        return c == null || !"off".equals(c.parameter("standard_conforming_strings"));
    }

    /** The string at {@code from} up to its NUL, or to {@code limit} (the frame's end) without one. */
    static String readCString(Buffer b, int from, int limit) {
        int end = Math.min(from, limit);
        while (end < limit && b.getByte(end) != 0) {
            end++;
        }
        return b.getString(Math.min(from, end), end, "UTF-8");
    }

    private static int skipCString(Buffer b, int from, int limit) {
        int end = from;
        while (end < limit && b.getByte(end) != 0) {
            end++;
        }
        return end + 1;
    }

}
