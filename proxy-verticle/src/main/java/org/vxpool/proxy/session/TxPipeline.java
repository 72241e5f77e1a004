package org.vxpool.proxy.session;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.proxy.pool.BackendConnection;
import org.vxpool.proxy.protocol.FrameListener;
import org.vxpool.proxy.protocol.PgProtocolException;

/**
 * Transaction pooling with {@code tx_pipeline_depth} above 1: the autocommit reads of several
 * clients sent one behind the other on one connection, in send order. Backend frames go to the
 * relay of the oldest unit (the head); when its ReadyForQuery ends it, its session lets go
 * ({@link #done}) and the next unit is the head. The connection goes back to the pool only when
 * the queue is empty. Each unit ends with its own Sync or Query, so an error in one is skipped to
 * its own ReadyForQuery and the units behind it run as if alone.
 */
final class TxPipeline implements FrameListener {
    private static final Logger log = LoggerFactory.getLogger(TxPipeline.class);

    private final ProxyContext ctx;
    private final BackendConnection conn;
    private final ArrayDeque<TxRelay> queue = new ArrayDeque<>(4);
    /** Relays that got frames in the chunk being read: each flushes its client at the chunk's end. */
    private final List<TxRelay> touched = new ArrayList<>(4);
    /** A unit left the connection's state unknown: it is closed when the queue is empty. */
    private boolean discard;

    TxPipeline(ProxyContext ctx, BackendConnection conn, TxRelay head) {
        this.ctx = ctx;
        this.conn = conn;
        queue.add(head);
    }

    int size() {
        return queue.size();
    }

    /** Whether another unit may go behind the queued ones: none has a hidden Parse unanswered. */
    boolean accepting() {
        if (discard) {
            return false;
        }
        for (TxRelay r : queue) {
            if (r.marks().namedParsePending()) {
                return false;
            }
        }
        return true;
    }

    /** How many units are on {@code c} if a plain unit may go behind them, else 0. */
    static int queued(BackendConnection c) {
        FrameListener l = c.listener();
        if (l instanceof TxPipeline p) {
            return p.accepting() ? p.size() : 0;
        }
        return l instanceof TxRelay r && r.tx.joinableAlone(c) ? 1 : 0;
    }

    void add(TxRelay r) {
        queue.addLast(r);
    }

    boolean atHead(TransactionSession tx) {
        TxRelay head = queue.peekFirst();
        return head != null && head.tx == tx;
    }

    @Override
    public boolean keepsFrames() {
        return false;
    }

    @Override
    public void onFrame(byte type, Buffer src, int start, int length) {
        TxRelay head = queue.peekFirst();
        if (head == null) {
            log.warn("{}: a message of type '{}' with no unit in flight; ignored", conn, (char) type);
            return;
        }
        if (touched.isEmpty() || touched.get(touched.size() - 1) != head) {
            touched.add(head);
        }
        if (head.tx.conn != conn || head.tx.s.state() == SessionState.CLOSED) {
            // the client left while its unit was queued: its answers are read and dropped
            if (head.drop(type, src, start, length)) {
                done(head, head.tx.discardConn, false);
            }
            return;
        }
        head.onFrame(type, src, start, length);
    }

    @Override
    public void onChunkEnd() {
        for (int i = 0; i < touched.size(); i++) {
            touched.get(i).onChunkEnd();
        }
        touched.clear();
    }

    @Override
    public void onProtocolError(PgProtocolException e) {
        // nothing after the bad message can be told apart: every client on the connection ends
        List<TxRelay> all = List.copyOf(queue);
        queue.clear();
        for (TxRelay r : all) {
            if (r.tx.conn == conn) {
                r.onProtocolError(e);
            }
        }
        ctx.pool().close(conn, "protocol violation: " + e.getMessage());
    }

    /**
     * The unit of {@code r} is over (its session lets go of the connection, or it was dropped).
     *
     * @param stale the unit left the connection's state unknown: close it once the queue is empty
     * @param paused the connection is paused for that session's client: the next one reads it
     */
    void done(TxRelay r, boolean stale, boolean paused) {
        if (r == null || !queue.remove(r)) {
            return;
        }
        discard |= stale;
        if (paused) {
            conn.socket().resume();
        }
        if (!queue.isEmpty()) {
            queue.peekFirst().tx.reachedHead(conn);
            if (accepting()) {
                ctx.txPool().offer(conn);
            }
            return;
        }
        if (discard) {
            ctx.pool().close(conn, "its state is unknown or stale (a pipelined unit skipped an eviction, or a plan a DDL changed)");
        } else {
            ctx.txPool().giveBack(conn);
        }
    }

    /** The session of {@code r} ended while its unit was queued or running. */
    void abandoned(TxRelay r, boolean paused) {
        if (r == null) {
            return;
        }
        if (paused) {
            conn.socket().resume();
        }
        if (r.marks().isEmpty()) {
            done(r, r.tx.discardConn, false);
        }
    }

    TxRelay relayOf(TransactionSession tx) {
        for (TxRelay r : queue) {
            if (r.tx == tx) {
                return r;
            }
        }
        return null;
    }

    /** The connection closed: every queued unit fails as a lone unit does. */
    void lost(String reason) {
        List<TxRelay> all = List.copyOf(queue);
        queue.clear();
        for (TxRelay r : all) {
            if (r.tx.conn == conn) {
                r.tx.connectionLost(conn, reason);
            }
        }
    }
}
