package org.vxpool.proxy.session;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.proxy.cancel.BackendCancelKey;
import org.vxpool.proxy.pool.BackendConnection;
import org.vxpool.proxy.pool.SessionParams;
import org.vxpool.proxy.pool.BackendCredentials;
import org.vxpool.proxy.pool.BackendRejectedException;
import org.vxpool.proxy.pool.BackendUnavailableException;
import org.vxpool.proxy.pool.PoolKey;
import org.vxpool.proxy.pool.PoolTimeoutException;
import org.vxpool.proxy.protocol.BackendKeyData;
import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.Query;
import org.vxpool.proxy.protocol.SqlState;
import org.vxpool.proxy.protocol.StartupMessage;
import org.vxpool.proxy.routing.Classification;
import org.vxpool.proxy.routing.ClassifiedStatement;
import org.vxpool.proxy.stats.QueryKind;
import org.vxpool.proxy.routing.RouteDecision;
import org.vxpool.proxy.routing.RouteTarget;
import org.vxpool.proxy.routing.RoutingContext;
import org.vxpool.proxy.routing.StatementKind;
import org.vxpool.proxy.session.TxStatementPolicy.Action;
import org.vxpool.proxy.session.TxStatementPolicy.Verdict;
import org.vxpool.proxy.show.ShowCommands;

/**
 * {@code pool_mode = transaction} for one client: it holds no backend connection while idle. Each
 * routing unit (a Query, an extended batch up to Sync, a FunctionCall) outside a transaction
 * checks a connection out of the {@code TransactionPool} on the node the router picks; the
 * connection goes back when ReadyForQuery says idle and nothing is outstanding. Units wait, with
 * the client paused, while a connection is being found or while the previous unit still answers
 * on another node, so answers never reorder. Named statements are prepared lazily under internal
 * names ({@link TxStatementWriter}); session settings follow the client ({@link TrackedSettings});
 * state that cannot follow it is refused ({@link TxStatementPolicy}).
 */
final class TransactionSession {
    private static final Logger log = LoggerFactory.getLogger(TransactionSession.class);
    /** A unit vxpool answers itself. */
    private static final int LOCAL = -2;
    /** A unit any node can run: the connection held, else the primary. */
    private static final int ANY = -1;
    /** How often a unit waiting for a primary (during a failover) looks at the view again. */
    private static final long PRIMARY_POLL_MILLIS = 100;

    /**
     * One routing unit: {@code send} writes it to the connection, {@code local} answers it without one.
     *
     * @param frame the client's frame a Query or FunctionCall unit sends (handed to {@code send}), else null
     * @param batch the extended batch {@code send} or {@code local} uses, else null
     * @param rerunnable a whole read unit for the load-balance node outside a transaction: if that
     *     standby dies before any answer, the unit can run again on the primary
     * @param plain an autocommit single-statement read that leaves nothing on the connection: it may
     *     be pipelined behind other clients' plain units ({@link TxPipeline})
     */
    private record Unit(int node, Buffer frame, ExtendedBatch batch, BiConsumer<BackendConnection, Buffer> send,
                        Runnable local, boolean rerunnable, boolean plain) {
        static Unit sending(int node, Buffer frame, BiConsumer<BackendConnection, Buffer> send) {
            return sending(node, frame, false, send);
        }

        /** Made with its plain flag, not copied to set it: units are made per statement. */
        static Unit sending(int node, Buffer frame, boolean plain, BiConsumer<BackendConnection, Buffer> send) {
            return new Unit(node, frame, null, send, null, false, plain);
        }

        static Unit sending(int node, ExtendedBatch batch, Consumer<BackendConnection> send) {
            return sending(node, batch, false, send);
        }

        static Unit sending(int node, ExtendedBatch batch, boolean plain, Consumer<BackendConnection> send) {
            return new Unit(node, null, batch, (c, f) -> send.accept(c), null, false, plain);
        }

        static Unit local(ExtendedBatch batch, Runnable answer) {
            return new Unit(LOCAL, null, batch, null, answer, false, false);
        }

        void send(BackendConnection c) {
            send.accept(c, frame);
        }

        Unit on(int newNode, boolean canRerun) {
            return new Unit(newNode, frame, batch, send, local, canRerun, plain);
        }

        /**
         * The unit with its own copy of the client's bytes, to be kept past the read that brought
         * them (which may be Netty's buffer, released when decoding returns).
         */
        Unit owned() {
            if (batch != null) {
                batch.ownFrames();
            }
            return frame == null ? this : new Unit(node, ExtendedBatch.heapCopy(frame), batch, send, local, rerunnable, plain);
        }
    }

    final ClientSession s;
    private final TxStartup derived;
    private final StartupMessage backendStartup;
    private final BackendCredentials credentials;
    final TrackedSettings settings;
    final ClientStatements statements = new ClientStatements();
    private final TxStatementWriter writer;
    private final SplittableRandom rng = new SplittableRandom();
    private RoutingContext rctx;
    /**
     * More than one node could run a unit: the router decides. Without balancing every unit
     * goes to the primary, as in session mode's plain relay.
     */
    private final boolean balancing;
    /** The pool key of the last check-out, reused while the node is the same. */
    private PoolKey lastKey;

    BackendConnection conn;
    /** Writes to {@code conn}: retained slices and whole buffers, without a promise per write. */
    private RelayWriter toConn;
    TxMarks marks;
    /** The transaction status the client was last told. */
    byte clientTx = PgProtocol.TxStatus.IDLE;
    /**
     * A Query that leaves a transaction open was sent and its ReadyForQuery has not come back:
     * JDBC sends its BEGIN as a Query with the first statement right behind it, and that
     * statement is judged inside the transaction whether or not the answer to BEGIN came first.
     */
    private boolean beginSent;
    /** Where the last Query judged leaves the client: {@link #beginSent} once it is sent. */
    private boolean judgedInTx;
    /** The lent connection's state is unknown (a hidden statement failed): close it instead of pooling it. */
    boolean discardConn;
    private ExtendedBatch batch;
    private final List<Verdict> batchVerdicts = new ArrayList<>(2);
    /** A Flush sent part of a batch: the rest up to Sync follows on the same connection. */
    private boolean pinned;
    private Unit held;
    private boolean waiting;
    /** The unit in flight alone on a standby, nothing of its answer relayed yet. */
    private Unit rerun;
    /** The connection carries other clients' units too: {@code conn} is shared, in this order. */
    TxPipeline pipe;
    /**
     * The one unit in flight on {@code conn}, sent alone on it, is plain: other clients' plain
     * units may be pipelined behind it.
     */
    private boolean joinable;
    /** A CancelRequest came while this client's unit was queued: forwarded when it reaches the head. */
    private boolean cancelAtHead;
    /** Tells this session's event loop of a CancelRequest read on any thread while its unit is queued. */
    private final Runnable cancelWhileQueued;
    /** The view {@link #primaryId} last looked at, and its primary's id. */
    private ClusterView primaryOf;
    private int primary = -1;

    TransactionSession(ClientSession session, StartupMessage startup, TxStartup derived, Map<String, String> welcome,
                       BackendCredentials credentials) {
        this.s = session;
        this.derived = derived;
        this.backendStartup = derived.backendStartup();
        this.credentials = credentials;
        this.settings = new TrackedSettings(derived.unreported(), welcome);
        this.writer = new TxStatementWriter(this);
        ClusterView view = s.ctx.view().get();
        this.rctx = s.ctx.router() != null && view != null
                ? s.ctx.router().startSession(startup.database(), startup.parameters().getOrDefault("application_name", ""),
                        SessionParams.of(startup.parameters()).gucs(), view, rng)
                : null;
        this.balancing = rctx != null && view.nodes().size() > 1;
        io.vertx.core.Context loop = s.ctx.vertx().getOrCreateContext();
        this.cancelWhileQueued = () -> loop.runOnContext(v -> cancelRequested());
    }

    // ---- frontend ----

    /**
     * {@code src} may be Netty's read buffer, lent until the chunk is decoded
     * ({@link ClientSession#canBorrow}): a frame sent at once goes out as a retained slice of it,
     * one kept longer (a unit that waits, a batch without its Sync yet) is copied first
     * ({@link Unit#owned}, {@link #unborrow}).
     */
    void frame(byte type, Buffer src, int start, int length) {
        Buffer frame = src.slice(start, start + length);
        switch (type) {
            case PgProtocol.Frontend.QUERY -> query(frame);
            case PgProtocol.Frontend.PARSE, PgProtocol.Frontend.BIND, PgProtocol.Frontend.DESCRIBE,
                    PgProtocol.Frontend.EXECUTE, PgProtocol.Frontend.CLOSE, PgProtocol.Frontend.FLUSH,
                    PgProtocol.Frontend.SYNC -> extended(type, frame);
            case PgProtocol.Frontend.FUNCTION_CALL -> submit(Unit.sending(primaryId(), frame, (c, f) -> sendSimple(c, f, type, null)));
            default -> {
                // COPY data and the like belong to the unit running on the lent connection
                if (conn != null) {
                    conn.sent(type);
                    toConn.send(frame);
                }
            }
        }
    }

    /**
     * The chunk just decoded was a lent network buffer: a batch still waiting for its Sync keeps
     * copies of its frames (a unit kept past the chunk was copied when it was kept).
     */
    void unborrow() {
        if (batch != null) {
            batch.ownFrames();
        }
    }

    private void query(Buffer frame) {
        String sql = Query.sql(frame);
        s.logging().statement(sql);
        int primary;
        if (!balancing && TxPolicyScreen.plain(sql) && (primary = primaryId()) >= 0) {
            // the primary runs it whatever it is, and the policy has nothing to say: no lexing
            beginSent |= clientTx == PgProtocol.TxStatus.IDLE && startsTransaction(sql);
            submit(Unit.sending(primary, frame, !inTransactionAsSent() && TxPolicyScreen.readFirst(sql), (c, f) -> {
                s.logging().nodeStatement(c.node().id(), sql);
                sendSimple(c, f, PgProtocol.Frontend.QUERY, null);
            }));
            return;
        }
        Classification cl = s.ctx.classifier().classify(sql, standardConformingStrings());
        List<Verdict> verdicts = judge(cl.statements());
        Verdict refusal = refusal(verdicts, cl.statements().size());
        if (refusal != null) {
            refuse(refusal.message(), null);
            return;
        }
        if (cl.statements().size() == 1 && isLocal(verdicts.get(0))) {
            answerLocally(verdicts.get(0), null);
            return;
        }
        Runnable onSuccess = tracker(verdicts);
        // outside a transaction as the client sent it: not behind a BEGIN still unanswered
        boolean plain = !inTransactionAsSent() && onSuccess == null && TxPlainUnit.read(cl.statements());
        beginSent = judgedInTx && clientTx == PgProtocol.TxStatus.IDLE;
        route(cl.statements(), true, null, node -> Unit.sending(node, frame, plain, (c, f) -> {
            s.logging().nodeStatement(c.node().id(), sql);
            sendSimple(c, f, PgProtocol.Frontend.QUERY, onSuccess);
        }),
                st -> ShowCommands.simple(st, s.showContext(), clientTx));
    }

    private void extended(byte type, Buffer frame) {
        if (batch == null) {
            batch = new ExtendedBatch();
            batchVerdicts.clear();
        }
        String stmt = null;
        switch (type) {
            case PgProtocol.Frontend.PARSE -> stmt = writer.collectParse(batch, batchVerdicts, frame);
            case PgProtocol.Frontend.BIND -> stmt = writer.binds(batch, batchVerdicts, TxStatementWriter.bindStatement(frame));
            case PgProtocol.Frontend.DESCRIBE, PgProtocol.Frontend.CLOSE -> {
                if (frame.getByte(5) == 'S') {
                    String name = TxStatementWriter.cstring(frame, 6);
                    stmt = type == PgProtocol.Frontend.DESCRIBE ? writer.uses(batch, name) : writer.collectClose(name);
                }
            }
            default -> {
            }
        }
        batch.add(type, frame, stmt);
        if (type == PgProtocol.Frontend.SYNC || type == PgProtocol.Frontend.FLUSH) {
            ExtendedBatch b = batch;
            batch = null;
            dispatch(b, type == PgProtocol.Frontend.SYNC, List.copyOf(batchVerdicts));
        }
    }

    private void dispatch(ExtendedBatch b, boolean synced, List<Verdict> verdicts) {
        if (pinned) {
            pinned = !synced;
            submit(Unit.sending(ANY, b, c -> writer.sendBatch(c, toConn, b, tracker(verdicts))));
            return;
        }
        Verdict refusal = refusal(verdicts, b.statements.size());
        if (refusal != null) {
            refuse(refusal.message(), b);
            return;
        }
        if (b.statements.size() == 1 && verdicts.size() == 1 && isLocal(verdicts.get(0))) {
            answerLocally(verdicts.get(0), b.codes());
            return;
        }
        if (synced && conn == null && clientTx == PgProtocol.TxStatus.IDLE && onlyNamedParses(b)) {
            // PQprepare outside a transaction: a client that blocks on it (pgbench -M prepared runs
            // many clients in one thread) could otherwise wait for a connection its other clients
            // hold mid-transaction. The statement is prepared where it is first used; an error in
            // its text surfaces there.
            submit(Unit.local(b, () -> s.toClient.write(TxAnswers.command(b.codes(), "", Map.of(), clientTx))));
            return;
        }
        Runnable onSuccess = tracker(verdicts);
        boolean plain = synced && !pinned && !inTransactionAsSent() && onSuccess == null
                && TxPlainUnit.batch(b) && TxPlainUnit.read(b.statements);
        route(b.statements, synced, b, node -> Unit.sending(node, b, plain, c -> writer.sendBatch(c, toConn, b, onSuccess)),
                st -> ShowCommands.extended(st, b.codes(), s.showContext(), clientTx));
        if (!synced) {
            pinned = true;
        }
    }

    private static boolean onlyNamedParses(ExtendedBatch b) {
        for (ExtendedBatch.Item it : b.items) {
            boolean namedParse = it.type() == PgProtocol.Frontend.PARSE && it.statement() != null && !it.statement().isEmpty();
            if (!namedParse && it.type() != PgProtocol.Frontend.SYNC) {
                return false;
            }
        }
        return true;
    }

    private void sendSimple(BackendConnection c, Buffer frame, byte type, Runnable onSuccess) {
        marks.pushSync(false, onSuccess);
        c.sent(type);
        toConn.send(frame);
    }

    // ---- policy ----

    private static boolean startsTransaction(String sql) {
        int i = 0;
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        return sql.regionMatches(true, i, "begin", 0, 5) || sql.regionMatches(true, i, "start", 0, 5);
    }

    private boolean inTransactionAsSent() {
        return clientTx != PgProtocol.TxStatus.IDLE || beginSent;
    }

    private List<Verdict> judge(List<ClassifiedStatement> list) {
        boolean inTx = inTransactionAsSent();
        List<Verdict> out = new ArrayList<>(list.size());
        for (ClassifiedStatement st : list) {
            if (st.kind() == StatementKind.TX_BEGIN) {
                inTx = true;
            }
            out.add(TxStatementPolicy.judge(st, inTx));
            if (st.kind() == StatementKind.TX_END && !st.chain()) {
                inTx = false;
            }
        }
        judgedInTx = inTx;
        return out;
    }

    Verdict judgeOne(ClassifiedStatement st) {
        return TxStatementPolicy.judge(st, inTransactionAsSent());
    }

    private static boolean isLocal(Verdict v) {
        return v.action() == Action.RESET_ALL || v.action() == Action.DEALLOCATE_ALL || v.action() == Action.DEALLOCATE;
    }

    private static Verdict refusal(List<Verdict> verdicts, int statements) {
        for (Verdict v : verdicts) {
            if (v.action() == Action.REFUSE) {
                return v;
            }
            if (isLocal(v) && (statements > 1 || verdicts.size() > 1)) {
                return new Verdict(Action.REFUSE, null, null,
                        "RESET ALL, DISCARD ALL and DEALLOCATE combined with other statements are not supported with pool_mode = transaction");
            }
        }
        return null;
    }

    /** Records the tracked SETs of a unit once it has succeeded. */
    private Runnable tracker(List<Verdict> verdicts) {
        List<Verdict> tracks = null;
        for (Verdict v : verdicts) {
            if (v.action() == Action.TRACK) {
                if (tracks == null) {
                    tracks = new ArrayList<>(verdicts.size());
                }
                tracks.add(v);
            }
        }
        if (tracks == null) {
            return null;
        }
        List<Verdict> tracked = tracks;
        return () -> {
            for (Verdict v : tracked) {
                settings.unreportedSet(v.name(), v.statement());
                if (conn != null) {
                    if (v.statement() == null) {
                        conn.appliedSettings().remove(v.name());
                    } else {
                        conn.appliedSettings().put(v.name(), v.statement());
                    }
                }
            }
        };
    }

    private void refuse(String message, ExtendedBatch b) {
        if (clientTx != PgProtocol.TxStatus.IDLE && conn != null) {
            // abort the transaction on the backend as PostgreSQL would, so a later COMMIT cannot commit it
            submit(Unit.sending(ANY, (ExtendedBatch) null, c -> {
                marks.pushSync(false, null);
                c.sent(PgProtocol.Frontend.QUERY);
                toConn.send(TxAnswers.failingQuery(SqlState.FEATURE_NOT_SUPPORTED, message));
            }));
            pinned = false;
            return;
        }
        pinned = false;
        submit(Unit.local(null, () -> s.toClient.write(TxAnswers.error(TxAnswers.refused(message), clientTx))));
    }

    private void answerLocally(Verdict v, String codes) {
        submit(Unit.local(null, () -> {
            Map<String, String> status = Map.of();
            String tag;
            switch (v.action()) {
                case RESET_ALL -> {
                    status = settings.resetAll();
                    boolean discard = "DISCARD ALL".equals(v.statement());
                    if (discard) {
                        statements.clear();
                        writer.forgetUnnamed();
                    }
                    tag = discard ? "DISCARD ALL" : "RESET";
                }
                case DEALLOCATE_ALL -> {
                    statements.clear();
                    tag = "DEALLOCATE ALL";
                }
                default -> {
                    if (!statements.remove(v.name())) {
                        s.toClient.write(TxAnswers.error(ErrorResponse.error("26000",
                                "prepared statement \"" + v.name() + "\" does not exist"), clientTx));
                        return;
                    }
                    tag = "DEALLOCATE";
                }
            }
            status.forEach(settings::shown);
            s.toClient.write(TxAnswers.command(codes, tag, status, clientTx));
        }));
    }

    // ---- routing and check-out ----

    /**
     * @param whole the unit ends with Sync (a flushed part of a batch is never sent twice)
     * @param batch the extended batch the units use, null for a Query
     */
    private void route(List<ClassifiedStatement> list, boolean whole, ExtendedBatch batch, java.util.function.IntFunction<Unit> unit,
                       java.util.function.Function<ClassifiedStatement, Future<Buffer>> show) {
        if (list.size() == 1 && list.get(0).kind() == StatementKind.SHOW_POOL) {
            ClassifiedStatement st = list.get(0);
            submit(Unit.local(batch, () -> answerAsync(show.apply(st))));
            return;
        }
        if (list.isEmpty() || rctx == null || (!balancing && primaryId() >= 0)) {
            submit(unit.apply(list.isEmpty() ? ANY : primaryId()));
            return;
        }
        RouteDecision d = s.router().route(rctx, list, s.ctx.view().get(), s.ctx.lags().get(), rng);
        rctx = d.context();
        if (d.target() == RouteTarget.NO_NODE && clientTx == PgProtocol.TxStatus.IDLE && primaryId() < 0
                && PrimaryWait.primaryMayAppear(s.ctx.view().get())) {
            // no primary yet, one may come (a failover under way): the unit waits for it in
            // checkout, at most pool_timeout, as it does without balancing
            submit(unit.apply(ANY));
            return;
        }
        if (d.target() == RouteTarget.NO_NODE) {
            submit(Unit.local(null, () -> s.toClient.write(TxAnswers.error(
                    ErrorResponse.error(SqlState.CONNECTION_FAILURE, "no backend node can run this statement: " + d.reason()), clientTx))));
            return;
        }
        boolean anywhere = d.target() == RouteTarget.ALL_SESSION_NODES || d.target() == RouteTarget.INTERCEPT;
        if (d.nodeId() >= 0 && !anywhere) {
            countSelects(list, d.nodeId());
        }
        Unit u = unit.apply(anywhere || d.nodeId() < 0 ? ANY : d.nodeId());
        boolean rerunnable = whole && !pinned && d.target() == RouteTarget.LOAD_BALANCE_NODE && clientTx == PgProtocol.TxStatus.IDLE;
        submit(rerunnable ? u.on(u.node(), true) : u);
    }

    private void countSelects(List<ClassifiedStatement> list, int node) {
        for (ClassifiedStatement st : list) {
            // select_cnt is the READ count (vxpool_queries_total)
            s.ctx.runtime().queries().count(node, QueryKind.of(st));
        }
    }

    private void submit(Unit u) {
        if (held != null || waiting) {
            // the client is paused while a unit waits; a unit decoded before the pause queues behind it
            log.warn("session {}: unit submitted while another waits; closing", s.id());
            s.close("internal error: overlapping units", ErrorResponse.fatal(SqlState.INTERNAL_ERROR, "vxpool internal error: overlapping units"));
            return;
        }
        if (u.node() == LOCAL) {
            if (conn == null || connQuiet()) {
                u.local().run();
            } else {
                hold(u);
            }
            return;
        }
        if (conn != null && pipe != null) {
            // other clients' units follow this one on the connection: the next waits for its turn
            hold(u);
            return;
        }
        if (conn != null) {
            boolean sameConnection = clientTx != PgProtocol.TxStatus.IDLE || pinned || u.node() == ANY
                    || u.node() == conn.node().id();
            if (sameConnection && marks.ownParsePending()) {
                // its statements are written as prepared there only once that Parse has succeeded
                hold(u);
                return;
            }
            if (sameConnection) {
                send(u);
                return;
            }
            if (!conn.isQuiet()) {
                hold(u);
                return;
            }
            giveBack();
        }
        int node = u.node() == ANY ? primaryId() : u.node();
        if (lendIdle(node)) {
            send(u);
            return;
        }
        if (u.plain() && joinPipeline(node, u)) {
            return;
        }
        hold(u);
        checkout(node);
    }

    /**
     * The pool of {@code nodeId} is exhausted: a plain unit goes behind the plain units of the
     * busy connection with the shortest queue (below tx_pipeline_depth) whose settings are the
     * client's and that showed progress within tx_pipeline_max_age, instead of waiting for it to
     * be free.
     */
    private boolean joinPipeline(int nodeId, Unit u) {
        int depth = s.ctx.txPool().pipelineDepth();
        if (depth <= 1 || inTransactionAsSent() || pinned) {
            return false;
        }
        BackendNode target = usableNode(nodeId);
        if (target == null) {
            return false;
        }
        PoolKey k = key(target.id());
        if (!s.ctx.txPool().exhausted(k)) {
            return false;
        }
        BackendConnection best = null;
        int shortest = depth;
        long now = System.nanoTime();
        for (BackendConnection c : s.ctx.txPool().lent(k)) {
            int n = TxPipeline.queued(c);
            if (n == 0 || n >= depth || n > shortest || !settings.sameAs(c) || !s.ctx.txPool().freshEnough(c, now)) {
                continue;
            }
            // of equal queues, the one that answered last: a statement running long may run longer
            if (best == null || n < shortest || c.sinceProgressNanos(now) < best.sinceProgressNanos(now)) {
                best = c;
                shortest = n;
            }
        }
        if (best == null) {
            return false;
        }
        join(best, u);
        return true;
    }

    /** Whether this client runs one plain unit alone on {@code c}, that another may follow. */
    boolean joinableAlone(BackendConnection c) {
        return conn == c && pipe == null && joinable && held == null && s.state() != SessionState.CLOSED
                && marks.shownUnitsPending() == 1 && !marks.namedParsePending() && !discardConn;
    }

    private void join(BackendConnection c, Unit u) {
        TxPipeline p = c.listener() instanceof TxPipeline q ? q : null;
        if (p == null) {
            TxRelay head = (TxRelay) c.listener();
            p = new TxPipeline(s.ctx, c, head);
            head.tx.pipe = p;
            c.listen(p, p::lost);
        }
        if (log.isDebugEnabled()) {
            log.debug("session {}: pipelined behind {} unit(s) on {}", s.id(), p.size(), c);
        }
        conn = c;
        toConn = new RelayWriter(c.socket());
        marks = new TxMarks();
        discardConn = false;
        joinable = false;
        writer.connectionChanged();
        pipe = p;
        p.add(new TxRelay(this, c));
        // a cancel must not reach the unit running ahead, another client's
        s.cancelKeys(List.of());
        s.cancelWhileQueued(cancelWhileQueued);
        s.ctx.runtime().txPipelined();
        // a read queued on a standby, like one alone there, may run again on the primary if the
        // standby is lost before any of its answer reached the client
        boolean again = u.rerunnable() && c.node().id() != primaryId();
        u.send(c);
        rerun = again ? u.owned() : null;
    }

    /**
     * The pool offers the busy connection {@code c} while this client's plain unit waits in line:
     * it goes behind the units there if it still may.
     *
     * @return whether the wait is over (joined, or the client is gone)
     */
    private boolean joinFromPool(BackendConnection c) {
        if (s.state() == SessionState.CLOSED) {
            return true;
        }
        if (held == null || !waiting || !held.plain() || conn != null || inTransactionAsSent() || pinned) {
            return false;
        }
        int n = TxPipeline.queued(c);
        if (n == 0 || n >= s.ctx.txPool().pipelineDepth() || !settings.sameAs(c)) {
            return false;
        }
        Unit u = held;
        held = null;
        waiting = false;
        join(c, u);
        s.resumeClient();
        return true;
    }

    /** This client's pipelined unit is now the one the backend runs. */
    void reachedHead(BackendConnection c) {
        if (c == conn) {
            s.cancelWhileQueued(null);
            cancelKeysOf(c);
            if (cancelAtHead) {
                cancelAtHead = false;
                forwardCancel();
            }
        }
    }

    /** A CancelRequest for this client while its unit was queued (on this event loop now). */
    private void cancelRequested() {
        if (pipe == null) {
            // its unit is over (or it was never queued): nothing of it runs
            return;
        }
        if (!pipe.atHead(this)) {
            cancelAtHead = true;
            return;
        }
        forwardCancel();
    }

    /**
     * Cancels this client's unit, now at the head. With another client's unit queued behind it the
     * backend may already run that one (the units are in its socket): the cancel is dropped.
     */
    private void forwardCancel() {
        if (conn == null || pipe != null && pipe.size() > 1) {
            log.debug("session {}: cancel request dropped: another client's unit follows on the connection", s.id());
            return;
        }
        BackendKeyData real = conn.keyData();
        if (real != null) {
            s.ctx.canceller().cancel(List.of(new BackendCancelKey(conn.node().host(), conn.node().port(), real.processId(), real.secretKey())));
        }
    }

    private void cancelKeysOf(BackendConnection c) {
        BackendKeyData real = c.keyData();
        s.cancelKeys(real == null ? List.of()
                : List.of(new BackendCancelKey(c.node().host(), c.node().port(), real.processId(), real.secretKey())));
    }

    /** Nothing is outstanding for this client on {@code conn} (shared: only its own units count). */
    private boolean connQuiet() {
        return pipe == null ? conn.isQuiet() : marks.isEmpty();
    }

    /**
     * Binds an idle connection of {@code nodeId} at hand, when nobody waits for one: the unit is
     * sent at once, without pausing the client or a callback (the common case of a pool that
     * is not exhausted).
     */
    private boolean lendIdle(int nodeId) {
        BackendNode target = usableNode(nodeId);
        if (target == null) {
            return false;
        }
        BackendConnection c = s.ctx.txPool().idle(key(target.id()));
        if (c == null) {
            return false;
        }
        bind(c);
        return true;
    }

    /** The pool key of {@code nodeId}, reused while the node is the same. */
    private PoolKey key(int nodeId) {
        PoolKey key = lastKey;
        if (key == null || key.nodeId() != nodeId) {
            key = new PoolKey(nodeId, backendStartup.user(), backendStartup.database());
            lastKey = key;
        }
        return key;
    }

    private void send(Unit u) {
        BackendConnection c = conn;
        joinable = u.plain() && marks.isEmpty() && s.ctx.txPool().pipelineDepth() > 1;
        boolean alone = u.rerunnable() && marks.shownUnitsPending() == 0 && c.txStatus() == PgProtocol.TxStatus.IDLE
                && c.node().id() != primaryId();
        u.send(c);
        // kept past this read: its own bytes
        rerun = alone ? u.owned() : null;
        if (joinable) {
            // clients waiting for the pool may go behind this unit
            s.ctx.txPool().offer(c);
        }
    }

    /** Part of the lent connection's answer reached the client: its unit cannot run elsewhere any more. */
    void relayed(BackendConnection c) {
        if (rerun != null && c == conn) {
            rerun = null;
        }
    }

    private void hold(Unit u) {
        if (log.isDebugEnabled()) {
            // runs per transaction: no boxing or varargs array unless debugging
            log.debug("session {}: unit for node {} waits (connection {})", s.id(), u.node(), conn);
        }
        held = u.owned();
        s.holdClient();
    }

    /** Runs the held unit if it can run now; resumes the client when nothing waits any more. */
    private void retryHeld() {
        if (held == null || waiting || s.state() == SessionState.CLOSED) {
            return;
        }
        Unit u = held;
        held = null;
        submit(u);
        if (held == null && !waiting && s.state() != SessionState.CLOSED) {
            s.resumeClient();
        }
    }

    private void checkout(int nodeId) {
        checkout(nodeId, System.nanoTime());
    }

    /**
     * Checks a connection out on {@code nodeId}, or on the primary when that node is not usable.
     * Without a primary (a failover is under way) the unit waits for a view with one, at most
     * pool_timeout.
     */
    private void checkout(int nodeId, long since) {
        BackendNode target = usableNode(nodeId);
        if (target == null) {
            target = usableNode(primaryId());
        }
        if (target == null) {
            long limit = TimeUnit.MILLISECONDS.toNanos(s.ctx.settings().poolTimeoutMillis());
            if (limit > 0 && System.nanoTime() - since >= limit) {
                failHeld(new BackendUnavailableException(nodeId, "no primary node is available", null));
                return;
            }
            waiting = true;
            s.ctx.vertx().setTimer(PRIMARY_POLL_MILLIS, t -> {
                waiting = false;
                if (s.state() != SessionState.CLOSED) {
                    checkout(nodeId, since);
                }
            });
            return;
        }
        waiting = true;
        PoolKey poolKey = key(target.id());
        BackendNode node = target;
        Supplier<Future<BackendConnection>> opener = () -> s.ctx.pool().connect(node, poolKey, backendStartup,
                credentials.newLogin(backendStartup.user()), true).andThen(this::refreshWelcome);
        Predicate<BackendConnection> joiner = held != null && held.plain() && s.ctx.txPool().pipelineDepth() > 1
                ? this::joinFromPool : null;
        s.ctx.txPool().acquire(poolKey, opener, joiner).onComplete(ar -> checkedOut(node, poolKey, opener, since, ar));
    }

    private void checkedOut(BackendNode node, PoolKey poolKey, Supplier<Future<BackendConnection>> opener, long since,
                            AsyncResult<BackendConnection> ar) {
        waiting = false;
        if (s.state() == SessionState.CLOSED) {
            if (ar.succeeded()) {
                s.ctx.txPool().giveBack(ar.result());
            }
            return;
        }
        if (ar.succeeded()) {
            bind(ar.result());
            retryHeld();
            return;
        }
        BackendRejectedException refused = ar.cause() instanceof BackendRejectedException r ? r : null;
        if (refused != null && refusesEveryLogin(refused.error())) {
            s.ctx.txPool().forgetWelcome(derived.shape(node.id()));
        }
        if (!(ar.cause() instanceof PoolTimeoutException) && node.id() != primaryId() && primaryId() >= 0) {
            // only reads go to a standby: until the view says it is down, they run on the primary
            log.info("session {}: load-balance node {} unusable ({}); the statement runs on the primary",
                    s.id(), node.id(), ar.cause().getMessage());
            if (held != null) {
                held = held.on(primaryId(), held.rerunnable());
            }
            checkout(primaryId(), since);
            return;
        }
        if (refused != null && SqlState.TOO_MANY_CONNECTIONS.equals(refused.error().sqlState())
                && s.ctx.pool().openCount(poolKey) > 0) {
            // PostgreSQL's limit for this key is below default_pool_size: wait for a connection
            // of the key as for a full pool, instead of failing while one will be free soon
            log.info("session {}: backend refused another connection of {} ({}); waiting for one to be free",
                    s.id(), poolKey, refused.error().message());
            waiting = true;
            s.ctx.txPool().awaitGiveBack(poolKey, opener, refused.error().message())
                    .onComplete(next -> checkedOut(node, poolKey, opener, since, next));
            return;
        }
        failHeld(ar.cause());
    }

    /**
     * A refusal that holds for every login of this user and database until an operator acts
     * (class 28: password, role, pg_hba; 3D000: no such database), unlike a passing one such as
     * 53300 or 57P03 that a client welcomed now may outlive.
     */
    private static boolean refusesEveryLogin(ErrorResponse e) {
        String state = e.sqlState();
        return state != null && (state.startsWith("28") || state.equals(SqlState.INVALID_CATALOG_NAME));
    }

    /**
     * A new connection's ParameterStatus values are the server's current defaults for this login
     * shape (an {@code ALTER DATABASE ... SET TimeZone} since the first login shows here): clients
     * that start from now on are welcomed with them.
     */
    private void refreshWelcome(io.vertx.core.AsyncResult<BackendConnection> opened) {
        if (opened.succeeded()) {
            BackendConnection c = opened.result();
            s.ctx.txPool().rememberWelcome(derived.shape(c.node().id()), c.parameterStatus());
        }
    }

    private BackendNode usableNode(int nodeId) {
        ClusterView view = s.ctx.view().get();
        if (view == null) {
            return null;
        }
        for (BackendNode n : view.nodes()) {
            if (n.id() == nodeId && n.status() != NodeStatus.DOWN) {
                return n;
            }
        }
        return null;
    }

    private int primaryId() {
        ClusterView view = s.ctx.view().get();
        if (view != primaryOf) {
            // several calls per unit: look the primary up once per view
            primaryOf = view;
            primary = view == null ? -1 : view.primary().map(BackendNode::id).orElse(-1);
        }
        return primary >= 0 ? primary : withoutPrimary(view);
    }

    /**
     * No primary: while one may still come (the window of {@link PrimaryWait}), none, so units
     * wait; after it, the node session mode anchors on ({@link Routing#readOnlyNode}), where
     * reads work and writes fail as a standby fails them. A view naming a primary ends this.
     */
    private int withoutPrimary(ClusterView view) {
        if (s.ctx.primaryWait().remainingNanos(s.ctx.settings().primaryWaitNanos(), System.nanoTime()) > 0) {
            return -1;
        }
        return Routing.readOnlyNode(view).map(BackendNode::id).orElse(-1);
    }

    /** The held unit cannot get a connection: it fails with an ERROR, the client stays. */
    private void failHeld(Throwable e) {
        held = null;
        beginSent = false;
        pinned = false;
        ErrorResponse err;
        if (e instanceof PoolTimeoutException) {
            err = ErrorResponse.error(SqlState.TOO_MANY_CONNECTIONS, e.getMessage());
        } else if (e instanceof BackendUnavailableException) {
            err = ErrorResponse.error(SqlState.CONNECTION_FAILURE, e.getMessage());
        } else if (e instanceof BackendRejectedException r) {
            // the backend refused the pooled connection's login (a password changed, too many
            // clients, the database dropped, a shutdown): its own SQLSTATE and text, and the
            // client, already logged in to vxpool, may try again
            log.warn("session {}: backend refused a pooled connection: {}", s.id(), r.getMessage());
            err = r.error().asError(null);
        } else {
            log.warn("session {}: no backend connection for a transaction", s.id(), e);
            err = ErrorResponse.error(SqlState.CONNECTION_FAILURE, "could not get a backend connection: " + e.getMessage());
        }
        s.toClient.write(TxAnswers.error(err, clientTx));
        s.resumeClient();
    }

    private void bind(BackendConnection c) {
        if (log.isDebugEnabled()) {
            log.debug("session {}: got {}", s.id(), c);
        }
        conn = c;
        toConn = new RelayWriter(c.socket());
        marks = new TxMarks();
        discardConn = false;
        joinable = false;
        pipe = null;
        writer.connectionChanged();
        c.listen(new TxRelay(this, c), reason -> connectionLost(c, reason));
        cancelKeysOf(c);
        String sync = settings.statementsFor(c);
        if (sync != null) {
            marks.pushSync(true, null);
            c.sent(PgProtocol.Frontend.QUERY);
            toConn.send(new Query(sync).encode());
        }
    }

    private void giveBack() {
        if (log.isDebugEnabled()) {
            log.debug("session {}: gives back {}", s.id(), conn);
        }
        BackendConnection c = conn;
        conn = null;
        toConn = null;
        marks = null;
        joinable = false;
        s.cancelKeys(List.of());
        if (pipe != null) {
            TxPipeline p = pipe;
            pipe = null;
            cancelAtHead = false;
            s.cancelWhileQueued(null);
            boolean paused = s.flow.backendPaused(c.socket());
            s.flow.forget(c.socket());
            p.done(p.relayOf(this), discardConn, paused);
            return;
        }
        // the connection may be paused for this client's back-pressure; the pool resumes it
        s.flow.forget(c.socket());
        if (discardConn) {
            s.ctx.pool().close(c, "its state is unknown or stale (session settings not applied, a skipped eviction, or a plan a DDL changed)");
        } else {
            s.ctx.txPool().giveBack(c);
        }
    }

    // ---- from the relay ----

    /** A ReadyForQuery the client sees. */
    void clientReady(byte status) {
        clientTx = status;
        beginSent = false;
        if (rctx != null) {
            rctx = rctx.syncTransactionStatus((char) status, conn == null ? -1 : conn.node().id());
        }
    }

    /** After any ReadyForQuery: the connection goes back once the transaction is over; a held unit may run. */
    void afterReady() {
        if (conn != null && connQuiet() && conn.txStatus() == PgProtocol.TxStatus.IDLE && !pinned
                && clientTx == PgProtocol.TxStatus.IDLE) {
            s.toClient.flush();
            giveBack();
        }
        retryHeld();
    }

    boolean quiet() {
        return conn == null || connQuiet();
    }

    /** The lent connection closed under the client. */
    void connectionLost(BackendConnection c, String reason) {
        if (c != conn || s.state() == SessionState.CLOSED) {
            return;
        }
        // vxpool's own settings Query ahead of the statement does not make it a transaction
        int shownPending = marks == null ? c.pendingReady() : marks.shownUnitsPending();
        boolean oneStatement = clientTx == PgProtocol.TxStatus.IDLE && shownPending <= 1 && !pinned
                && s.state() != SessionState.COPY_IN && s.state() != SessionState.COPY_OUT;
        conn = null;
        toConn = null;
        marks = null;
        pipe = null;
        joinable = false;
        cancelAtHead = false;
        s.cancelWhileQueued(null);
        s.cancelKeys(List.of());
        s.flow.forget(c.socket());
        Unit again = oneStatement && held == null && !waiting ? rerun : null;
        rerun = null;
        if (again != null) {
            // a standby cannot write: the read it lost runs again on the primary, unseen
            log.info("session {}: read node {} was lost before answering; the statement runs again on the primary", s.id(), c.node().id());
            submit(again.on(primaryId(), false));
            return;
        }
        ErrorResponse fatal = c.fatal();
        if (!oneStatement) {
            // the client's transaction is gone: it reads the backend's own FATAL, or a FATAL of
            // vxpool's when the backend gave none (a crash, a node marked down), then the close
            s.close(reason, fatal != null ? fatal : ErrorResponse.fatal(SqlState.CONNECTION_FAILURE,
                    "terminating connection because its transaction was lost: " + lostDuring(c, "transaction"), reason));
            return;
        }
        // one statement outside a transaction: the client's session is vxpool's and survives the
        // backend connection, so the backend's FATAL is an ERROR with its SQLSTATE and text. No word
        // of a failover: whether the node failed is the health check's call
        ErrorResponse err = fatal != null
                ? fatal.asError("The backend connection of node " + c.node().id() + " (" + c.node().host() + ":" + c.node().port()
                        + ") that ran this statement ended; with pool_mode = transaction this session goes on.")
                : ErrorResponse.error(SqlState.CONNECTION_FAILURE, lostDuring(c, "statement"), reason);
        s.toClient.write(TxAnswers.error(err, PgProtocol.TxStatus.IDLE));
        clientReady(PgProtocol.TxStatus.IDLE);
        s.refreshState();
        // a unit waiting for this connection to go quiet runs now; retryHeld resumes the client
        retryHeld();
    }

    private static String lostDuring(BackendConnection c, String what) {
        return "backend node " + c.node().id() + " (" + c.node().host() + ":" + c.node().port() + ") was lost during the " + what;
    }

    /** Node {@code nodeId} left the view: a transaction running there fails; an idle client is untouched. */
    void nodeDown(int nodeId, String reason) {
        BackendConnection c = conn;
        if (c != null && c.node().id() == nodeId) {
            s.ctx.pool().close(c, reason);
            connectionLost(c, reason);
        }
    }

    /** The session ends: a connection quiet outside a transaction goes back to the pool, any other is closed. */
    void closed(String reason) {
        BackendConnection c = conn;
        conn = null;
        toConn = null;
        if (c == null) {
            return;
        }
        if (pipe != null) {
            // other clients' units share the connection: this one's answers are read and dropped
            TxPipeline p = pipe;
            pipe = null;
            p.abandoned(p.relayOf(this), s.flow.backendPaused(c.socket()));
            return;
        }
        if (c.isQuiet() && c.txStatus() == PgProtocol.TxStatus.IDLE && !discardConn) {
            s.ctx.txPool().giveBack(c);
        } else {
            s.ctx.pool().close(c, reason + " (connection lent for a transaction)");
        }
    }

    /** Whether the router chooses among nodes; without balancing every unit runs on the primary. */
    boolean balancing() {
        return balancing;
    }

    int loadBalanceNode() {
        return rctx == null ? -1 : rctx.loadBalanceNode();
    }

    private void answerAsync(Future<Buffer> response) {
        if (response.isComplete()) {
            s.toClient.write(response.succeeded() ? response.result() : showFailure(response.cause()));
            return;
        }
        waiting = true;
        s.holdClient();
        response.onComplete(ar -> {
            waiting = false;
            if (s.state() == SessionState.CLOSED) {
                return;
            }
            s.toClient.write(ar.succeeded() ? ar.result() : showFailure(ar.cause()));
            if (held != null) {
                retryHeld();
            } else {
                s.resumeClient();
            }
        });
    }

    private Buffer showFailure(Throwable e) {
        return TxAnswers.error(ErrorResponse.error(SqlState.INTERNAL_ERROR, "SHOW failed: " + e.getMessage()), clientTx);
    }

    private boolean standardConformingStrings() {
        return !"off".equals(settings.reported("standard_conforming_strings"));
    }
}
