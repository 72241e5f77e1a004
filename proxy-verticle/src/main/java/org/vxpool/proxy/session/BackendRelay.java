package org.vxpool.proxy.session;

import io.vertx.core.buffer.Buffer;
import org.vxpool.proxy.pool.BackendConnection;
import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.proxy.protocol.FrameListener;
import org.vxpool.proxy.protocol.ParameterStatus;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.PgProtocolException;
import org.vxpool.proxy.stats.BackendCounters;

/**
 * Relays one backend's frames to the client. Only ReadyForQuery, ParameterStatus, COPY responses
 * and ErrorResponse are looked at, and CommandComplete's first word; everything else (rows,
 * CopyData, notifications) is forwarded as slices, one write per read chunk.
 */
final class BackendRelay implements FrameListener {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BackendRelay.class);
    private final ClientSession s;
    private final BackendConnection conn;
    private final ResponseFilter filter;
    private final BackendCounters counters;
    private final int nodeId;

    BackendRelay(ClientSession session, BackendConnection conn, ResponseFilter filter) {
        this.s = session;
        this.conn = conn;
        this.filter = filter;
        this.counters = session.ctx.backendCounters();
        this.nodeId = conn.node().id();
    }

    @Override
    public void onFrame(byte type, Buffer src, int start, int length) {
        boolean hide = filter.hidden();
        switch (type) {
            case PgProtocol.Backend.PARSE_COMPLETE -> hide = filter.parseComplete();
            case PgProtocol.Backend.READY_FOR_QUERY -> {
                byte status = src.getByte(start + 5);
                conn.readyReceived(status);
                hide = filter.ready();
                if (!hide) {
                    s.routing().synced(conn.node().id(), status);
                }
                if (s.state() == SessionState.COPY_IN || s.state() == SessionState.COPY_OUT) {
                    s.moveTo(SessionState.IN_QUERY);
                }
            }
            case PgProtocol.Backend.PARAMETER_STATUS -> {
                ParameterStatus ps = ParameterStatus.decode(src.slice(start + 5, start + length));
                conn.parameterStatus(ps.name(), ps.value());
            }
            case PgProtocol.Backend.COPY_IN_RESPONSE -> {
                conn.copyInStarted();
                s.moveTo(SessionState.COPY_IN);
            }
            case PgProtocol.Backend.COPY_OUT_RESPONSE, PgProtocol.Backend.COPY_BOTH_RESPONSE -> s.moveTo(SessionState.COPY_OUT);
            // Hidden answers count too: in session mode they come from client statements that vxpool
            // also ran on a second node (SET on the standby, replayed when it is opened), which
            // pgpool sends to every node and counts on each.
            case PgProtocol.Backend.COMMAND_COMPLETE -> counters.commandComplete(nodeId, src, start, length);
            case PgProtocol.Backend.ERROR_RESPONSE -> {
                ErrorResponse e = ErrorResponse.decode(src.slice(start + 5, start + length));
                counters.errorResponse(nodeId, e);
                conn.noteError(e);
                if (e.isFatal() && (s.routing().canDrop(conn) || s.routing().canRetry(conn))) {
                    // a read node going away (shutdown, crash), idle or before answering a read:
                    // the session drops it when the socket closes and reads elsewhere, so the
                    // client must not see this
                    hide = true;
                } else if (hide) {
                    log.warn("session {}: node {} failed a statement sent to every session node: {}", s.id(), conn.node().id(), e.message());
                } else if (e.isFatal()) {
                    s.fatalRelayed = true;
                }
            }
            default -> {
                // pass-through
            }
        }
        if (!hide) {
            s.toClient.add(src, start, length);
            s.routing().relayed(conn);
        }
        if (type == PgProtocol.Backend.READY_FOR_QUERY) {
            s.routing().release();
        }
    }

    /** Frames go on through {@code s.toClient} (retained slices) or are decoded on the spot. */
    @Override
    public boolean keepsFrames() {
        return false;
    }

    @Override
    public void onChunkEnd() {
        if (s.state() == SessionState.CLOSED) {
            s.toClient.discard();
            return;
        }
        s.toClient.flush();
        s.refreshState();
        s.flow.afterBackendChunk(conn.socket());
    }

    @Override
    public void onProtocolError(PgProtocolException e) {
        // the stream is out of step now: never hand this connection out again
        s.backendProtocolError(conn, e);
    }
}
