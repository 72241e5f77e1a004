package org.vxpool.proxy.session;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

/**
 * The bytes of one extended batch on their way to a backend. Frames that lie next to each other
 * in one client read (a driver writes its whole batch at once) are collected as one range and go
 * out as one retained slice of that read, with no copy. A batch is copied into a buffer from the
 * connection's allocator only when it must be: its frames came in several reads, or vxpool puts a
 * hidden Parse between them. Each copy is of a whole range: Netty's adaptive direct buffers make
 * two NIO views per copy from a direct source, so a copy per frame allocated more than the read
 * copy it replaced. Reused by its session; not thread-safe.
 */
final class BatchBytes {
    private RelayWriter to;
    private int capacity;
    private ByteBuf out;
    private Buffer src;
    private int start;
    private int end;

    /** Starts a batch for {@code writer}; {@code capacity} sizes the buffer if one is needed. */
    BatchBytes begin(RelayWriter writer, int capacity) {
        this.to = writer;
        this.capacity = capacity;
        return this;
    }

    /** The next frame of the batch: bytes {@code [from, from + length)} of {@code source}. */
    void frame(Buffer source, int from, int length) {
        if (source == src && from == end) {
            end += length;
            return;
        }
        copyRange();
        src = source;
        start = from;
        end = from + length;
    }

    /** A message of vxpool's own (a hidden Parse) after the frames so far. */
    void insert(Buffer message) {
        copyRange();
        RelayWriter.copyInto(buffer(), message);
    }

    /** Writes the batch: a retained slice when it is one range, else the buffer. */
    void send() {
        RelayWriter w = to;
        to = null;
        if (out == null) {
            if (src != null) {
                w.add(src, start, end - start);
                w.flush();
            }
        } else {
            copyRange();
            ByteBuf o = out;
            out = null;
            w.writeOwned(o);
        }
        src = null;
    }

    /** The batch is not sent (a failure while building it). */
    void abandon() {
        if (out != null) {
            out.release();
            out = null;
        }
        src = null;
        to = null;
    }

    private ByteBuf buffer() {
        if (out == null) {
            out = to.allocate(capacity);
        }
        return out;
    }

    private void copyRange() {
        if (src != null) {
            RelayWriter.copyInto(buffer(), src, start, end);
            src = null;
        }
    }
}
