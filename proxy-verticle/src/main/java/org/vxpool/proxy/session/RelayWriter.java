package org.vxpool.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.MessageWrite;
import io.vertx.core.net.impl.VertxConnection;

/**
 * Collects frames to forward and writes adjacent ones as one slice, so a read chunk of many
 * frames costs one write. A slice is written as a retained Netty slice of the source, so the
 * source may be a borrowed network buffer ({@link org.vxpool.proxy.protocol.SocketReads}) that is
 * released before the write completes; a direct source then goes out without a copy. The write
 * goes through the connection's outbound queue like {@link NetSocket#write}, so ordering and
 * {@code writeQueueFull}/drain are unchanged, but without a promise per write.
 */
final class RelayWriter {
    private final NetSocket out;
    private final VertxConnection conn;
    private Buffer src;
    private int start;
    private int end;

    RelayWriter(NetSocket out) {
        this.out = out;
        this.conn = out instanceof VertxConnection c ? c : null;
    }

    void add(Buffer source, int from, int length) {
        if (source == src && from == end) {
            end += length;
            return;
        }
        flush();
        src = source;
        start = from;
        end = from + length;
    }

    /** Writes what was collected, then {@code message}, keeping the order. */
    void write(Buffer message) {
        flush();
        out.write(message);
    }

    void flush() {
        if (src == null) {
            return;
        }
        Buffer s = src;
        src = null;
        if (conn == null || !(s instanceof BufferImpl b)) {
            out.write(start == 0 && end == s.length() ? s : s.slice(start, end));
            return;
        }
        conn.writeToChannel(new SliceWrite(conn, b.byteBuf().retainedSlice(start, end - start)));
    }

    /** Writes {@code message} after what was collected, as a retained slice (no promise). */
    void send(Buffer message) {
        add(message, 0, message.length());
        flush();
    }

    /**
     * A buffer of {@code capacity} bytes from the connection's allocator (pooled and direct on
     * epoll, so {@link #writeOwned} needs no copy to reach the socket).
     */
    ByteBuf allocate(int capacity) {
        return conn == null ? Unpooled.buffer(capacity) : conn.channel().alloc().directBuffer(capacity);
    }

    /** Appends {@code frame} to {@code out}, a buffer from {@link #allocate}: one copy of its bytes. */
    static void copyInto(ByteBuf out, Buffer frame) {
        copyInto(out, frame, 0, frame.length());
    }

    /** Appends bytes {@code from} to {@code to} of {@code frame} to {@code out}: one copy, no slice. */
    static void copyInto(ByteBuf out, Buffer frame, int from, int to) {
        if (frame instanceof BufferImpl b) {
            // Buffer indexes are absolute, whatever the reader index of the ByteBuf below
            out.writeBytes(b.byteBuf(), from, to - from);
        } else {
            out.writeBytes(frame.getBytes(from, to));
        }
    }

    /**
     * Writes {@code buf} after what was collected and takes it over: it is released once written,
     * or when the close of the connection cancels the write.
     */
    void writeOwned(ByteBuf buf) {
        flush();
        if (conn == null) {
            // copies it to the heap and releases it
            out.write(BufferInternal.safeBuffer(buf));
            return;
        }
        conn.writeToChannel(new SliceWrite(conn, buf));
    }

    /** Forgets what was collected (the session closed); the source may be a borrowed buffer. */
    void discard() {
        src = null;
    }

    NetSocket socket() {
        return out;
    }

    /** One queued write; a write cancelled by the close of the connection gives its slice back. */
    private record SliceWrite(VertxConnection conn, ByteBuf slice) implements MessageWrite {
        @Override
        public void write() {
            conn.write(slice, false, conn.voidPromise);
        }

        @Override
        public void cancel(Throwable cause) {
            slice.release();
        }
    }
}
