package org.vxpool.proxy.session;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.proxy.pool.BackendConnection;
import org.vxpool.proxy.protocol.ErrorFields;
import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.proxy.protocol.FrameListener;
import org.vxpool.proxy.protocol.ParameterStatus;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.PgProtocolException;
import org.vxpool.proxy.protocol.SqlState;
import org.vxpool.proxy.stats.BackendCounters;
import org.vxpool.proxy.session.TxMarks.Kind;
import org.vxpool.proxy.session.TxMarks.Mark;

/**
 * Transaction pooling: relays the answers of one lent connection to its client, hiding what
 * vxpool sent on its own ({@link TxMarks}) and keeping the connection's statement cache, the
 * client's settings and transaction status in step. A FATAL from the backend is held back until
 * the close that follows: {@link TransactionSession#connectionLost} decides what the client reads
 * (the FATAL itself inside a transaction, an ERROR outside one, nothing if a read runs again).
 */
final class TxRelay implements FrameListener {
    private static final Logger log = LoggerFactory.getLogger(TxRelay.class);
    private static final String DUPLICATE_PREPARED_STATEMENT = "42P05";
    /** PostgreSQL's function raising "cached plan must not change result type" (the text is translated). */
    private static final String STALE_PLAN_ROUTINE = "RevalidateCachedQuery";

    final TransactionSession tx;
    private final BackendConnection conn;
    private final TxMarks marks;
    private final BackendCounters counters;
    private final int nodeId;
    /** An ErrorResponse arrived since the last ReadyForQuery. */
    private boolean unitFailed;
    /** Marks the backend skipped before a ReadyForQuery; reused, nearly always empty. */
    private final List<Mark> skipped = new ArrayList<>(2);

    TxRelay(TransactionSession tx, BackendConnection conn) {
        this.tx = tx;
        this.conn = conn;
        this.marks = tx.marks;
        this.counters = tx.s.ctx.backendCounters();
        this.nodeId = conn.node().id();
    }

    TxMarks marks() {
        return marks;
    }

    /**
     * A frame of a unit whose client left while it was pipelined ({@link TxPipeline}): dropped,
     * with the connection's accounting and statement cache kept right.
     *
     * @return whether it was the unit's last ReadyForQuery
     */
    boolean drop(byte type, Buffer src, int start, int length) {
        // the backend ran the departed client's statements: they count as if relayed
        countCommand(type, src, start, length);
        switch (type) {
            case PgProtocol.Backend.PARSE_COMPLETE -> marks.take(Kind.PARSE);
            case PgProtocol.Backend.CLOSE_COMPLETE -> marks.take(Kind.CLOSE);
            case PgProtocol.Backend.PARAMETER_STATUS -> {
                ParameterStatus ps = ParameterStatus.decode(src.slice(start + 5, start + length));
                conn.parameterStatus(ps.name(), ps.value());
            }
            case PgProtocol.Backend.ERROR_RESPONSE -> {
                ErrorResponse e = ErrorResponse.decode(src.slice(start + 5, start + length));
                conn.noteError(e);
                countError(e);
                Mark parse = marks.pendingParse();
                if (parse != null) {
                    undo(parse);
                }
            }
            case PgProtocol.Backend.READY_FOR_QUERY -> {
                conn.readyReceived(src.getByte(start + 5));
                marks.ready(skipped);
                for (Mark m : skipped) {
                    undo(m);
                }
                skipped.clear();
                return marks.isEmpty();
            }
            default -> {
            }
        }
        return false;
    }

    /**
     * Frames are passed on as retained slices ({@link RelayWriter}) and decoded where they are
     * read, so the connection may lend Netty's read buffer (no heap copy of the answers).
     */
    @Override
    public boolean keepsFrames() {
        return false;
    }

    @Override
    public void onFrame(byte type, Buffer src, int start, int length) {
        if (tx.s.state() == SessionState.CLOSED) {
            // what follows the close in this chunk; the connection is closed or pooled already
            return;
        }
        countCommand(type, src, start, length);
        boolean hide = marks.unitHidden();
        switch (type) {
            case PgProtocol.Backend.PARSE_COMPLETE -> hide |= hidden(marks.take(Kind.PARSE));
            case PgProtocol.Backend.CLOSE_COMPLETE -> hide |= hidden(marks.take(Kind.CLOSE));
            case PgProtocol.Backend.READY_FOR_QUERY -> hide = ready(src.getByte(start + 5));
            case PgProtocol.Backend.PARAMETER_STATUS -> {
                ParameterStatus ps = ParameterStatus.decode(src.slice(start + 5, start + length));
                conn.parameterStatus(ps.name(), ps.value());
                if (!hide) {
                    tx.settings.shown(ps.name(), ps.value());
                }
            }
            case PgProtocol.Backend.ERROR_RESPONSE -> {
                ErrorResponse e = ErrorResponse.decode(src.slice(start + 5, start + length));
                countError(e);
                Mark parse = marks.pendingParse();
                hide = error(e, hide);
                if (!hide && parse != null && parse.redefines() && DUPLICATE_PREPARED_STATEMENT.equals(e.sqlState())) {
                    // the backend named vxpool's statement; the client must read its own name, as from PostgreSQL
                    tx.s.toClient.write(ErrorResponse.error(DUPLICATE_PREPARED_STATEMENT,
                            "prepared statement \"" + parse.clientName() + "\" already exists").encode());
                    hide = true;
                } else if (!hide && e.message() != null && e.message().contains("\"" + ClientStatements.PREFIX)) {
                    tx.s.toClient.write(withClientNames(e).encode());
                    hide = true;
                }
            }
            case PgProtocol.Backend.COPY_IN_RESPONSE -> {
                conn.copyInStarted();
                tx.s.moveTo(SessionState.COPY_IN);
            }
            case PgProtocol.Backend.COPY_OUT_RESPONSE, PgProtocol.Backend.COPY_BOTH_RESPONSE -> tx.s.moveTo(SessionState.COPY_OUT);
            default -> {
                // rows, tags, notices, notifications: passed through
            }
        }
        if (!hide) {
            tx.s.toClient.add(src, start, length);
            tx.relayed(conn);
        }
        if (type == PgProtocol.Backend.READY_FOR_QUERY && tx.conn == conn) {
            tx.afterReady();
        }
    }

    /**
     * SHOW pool_backend_stats: the CommandCompletes and ErrorResponses of the client's units, held
     * back FATALs and rewritten errors included, but none of a unit vxpool sent on its own (the
     * client's SETs replayed on each lent connection would count once per transaction).
     */
    private void countCommand(byte type, Buffer src, int start, int length) {
        if (type == PgProtocol.Backend.COMMAND_COMPLETE && !marks.unitHidden()) {
            counters.commandComplete(nodeId, src, start, length);
        }
    }

    /** As {@link #countCommand}, for an ErrorResponse decoded before any mark of its frame is taken. */
    private void countError(ErrorResponse e) {
        if (!marks.unitHidden()) {
            counters.errorResponse(nodeId, e);
        }
    }

    /** The error with vxpool's statement names (e.g. "bind message supplies 1 parameters, but prepared statement ...") replaced by the client's. */
    private ErrorResponse withClientNames(ErrorResponse e) {
        java.util.Map<Character, String> f = new java.util.LinkedHashMap<>(e.fields().fields());
        f.put(ErrorFields.MESSAGE, tx.statements.withClientNames(e.message()));
        return new ErrorResponse(new ErrorFields(f));
    }

    private static boolean hidden(Mark m) {
        return m != null && m.hidden();
    }

    private boolean ready(byte status) {
        conn.readyReceived(status);
        Mark sync = marks.ready(skipped);
        for (Mark m : skipped) {
            undo(m);
        }
        skipped.clear();
        boolean failed = unitFailed;
        unitFailed = false;
        if (tx.s.state() == SessionState.COPY_IN || tx.s.state() == SessionState.COPY_OUT) {
            tx.s.moveTo(SessionState.IN_QUERY);
        }
        if (sync != null && sync.hidden()) {
            return true;
        }
        if (sync != null && sync.onSuccess() != null && !failed) {
            sync.onSuccess().run();
        }
        tx.clientReady(status);
        return false;
    }

    /** A Parse or Close the backend skipped after an error never happened. */
    private void undo(Mark m) {
        if (m.kind() == Kind.PARSE && m.internal() != null) {
            conn.statements().remove(m.internal());
            if (m.clientName() != null) {
                tx.statements.failed(m.clientName(), m.internal());
            }
        } else if (m.kind() == Kind.CLOSE && m.internal() != null) {
            // an eviction that did not run: the cache no longer knows what the backend holds
            tx.discardConn = true;
        }
    }

    private boolean error(ErrorResponse e, boolean hide) {
        conn.noteError(e);
        unitFailed = true;
        Mark parse = marks.pendingParse();
        if (parse != null) {
            undo(parse);
        }
        if (e.isFatal()) {
            // kept by the connection (noteError) for the close that follows
            return true;
        }
        if (SqlState.FEATURE_NOT_SUPPORTED.equals(e.sqlState()) && STALE_PLAN_ROUTINE.equals(e.fields().get(ErrorFields.ROUTINE))) {
            // a DDL changed the result of a statement prepared here under the name every client
            // of its text shares: a client preparing the text again would meet it again, for good
            tx.discardConn = true;
        }
        if (hide) {
            log.warn("session {}: applying session settings on backend node {} failed: {}", tx.s.id(), conn.node().id(), e.message());
            tx.discardConn = true;
        }
        return hide;
    }

    @Override
    public void onChunkEnd() {
        if (tx.s.state() == SessionState.CLOSED) {
            // nothing may keep a slice of a lent buffer past this chunk
            tx.s.toClient.discard();
            return;
        }
        tx.s.toClient.flush();
        tx.s.refreshState();
        if (tx.conn == conn) {
            // a client whose pipelined unit ended in this chunk no longer holds the connection back
            tx.s.flow.afterBackendChunk(conn.socket());
        }
    }

    @Override
    public void onProtocolError(PgProtocolException e) {
        tx.s.backendProtocolError(conn, e);
    }
}
