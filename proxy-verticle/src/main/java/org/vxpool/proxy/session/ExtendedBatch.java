package org.vxpool.proxy.session;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.vxpool.proxy.routing.ClassifiedStatement;

/**
 * Extended-protocol frames collected up to Sync (or Flush), as slices of the client's read buffers
 * (they stay valid: see {@code FrameListener#onFrame}), with what routing needs: the
 * classification of each statement a Parse, Bind or Describe uses, in order.
 */
final class ExtendedBatch {
    /**
     * One frontend frame, bytes {@code [start, start + length)} of {@code source} (kept as positions:
     * the balancing relay copies them into the outgoing buffer without a slice per frame);
     * {@code statement} is the statement name a Bind/Describe/Close needs, else null.
     */
    record Item(byte type, Buffer source, int start, int length, String statement) {
        /** The frame as a buffer of its own: the source itself when the frame is all of it. */
        Buffer frame() {
            return start == 0 && length == source.length() ? source : source.slice(start, start + length);
        }

        byte byteAt(int offset) {
            return source.getByte(start + offset);
        }
    }

    /** pgbench and drivers send Parse/Bind/Describe/Execute/Sync or Bind/Execute/Sync. */
    final List<Item> items = new ArrayList<>(6);
    final List<ClassifiedStatement> statements = new ArrayList<>(2);
    /** Statement names already routed by in this batch. */
    final java.util.Set<String> seen = new java.util.HashSet<>(2);

    private int length;
    /** Items before this index have frames of their own ({@link #ownFrames}). */
    private int owned;

    void add(byte type, Buffer frame, String statement) {
        add(type, frame, 0, frame.length(), statement);
    }

    void add(byte type, Buffer source, int start, int length, String statement) {
        items.add(new Item(type, source, start, length, statement));
        this.length += length;
    }

    /**
     * Replaces the frames added since the last call by heap copies: the batch outlives the read
     * buffers they are slices of (transaction pooling borrows Netty's buffers).
     */
    void ownFrames() {
        for (; owned < items.size(); owned++) {
            Item it = items.get(owned);
            items.set(owned, new Item(it.type(), heapCopy(it.frame()), 0, it.length(), it.statement()));
        }
    }

    /** A copy on the heap, never of a pooled allocator (nothing releases a Buffer). */
    static Buffer heapCopy(Buffer frame) {
        return Buffer.buffer(frame.getBytes());
    }

    /** Empties the batch for the next one (the balancing relay reuses it when nothing refers to it any more). */
    void clear() {
        items.clear();
        statements.clear();
        seen.clear();
        length = 0;
        owned = 0;
    }

        /** Bytes of all frames, to size the buffer they are sent in. */
    int length() {
        return length;
    }

    /**
     * The batch as message letters for an answer vxpool makes itself; a Describe is {@code S}
     * for a statement and {@code p} for a portal, a Sync is {@code Y}.
     */
    public String codes() {
        StringBuilder sb = new StringBuilder(items.size());
        for (Item it : items) {
            char c = (char) it.type();
            if (c == 'D') {
                c = it.byteAt(5) == 'S' ? 'S' : 'p';
            } else if (c == 'S') {
                c = 'Y';
            }
            sb.append(c);
        }
        return sb.toString();
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    boolean endsWithSync() {
        return !items.isEmpty() && items.get(items.size() - 1).type() == org.vxpool.proxy.protocol.PgProtocol.Frontend.SYNC;
    }
}
