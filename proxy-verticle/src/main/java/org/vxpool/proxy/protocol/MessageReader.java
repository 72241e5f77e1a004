package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** Reads fields of a message body; a short or unterminated field is a protocol violation. */
public final class MessageReader {
    /** Holds a typical query text whole: one copy both finds its end and decodes it. */
    private static final int FIRST_WINDOW = 256;
    private static final int MAX_WINDOW = 64 * 1024;
    private final Buffer buf;
    private int pos;
    private final int end;

    public MessageReader(Buffer buf, int start) {
        this.buf = buf;
        this.pos = start;
        this.end = buf.length();
    }

    public int remaining() {
        return end - pos;
    }

    public int int32() {
        need(4);
        int v = buf.getInt(pos);
        pos += 4;
        return v;
    }

    public int int16() {
        need(2);
        int v = buf.getShort(pos);
        pos += 2;
        return v;
    }

    public byte int8() {
        need(1);
        return buf.getByte(pos++);
    }

    public String cstring() {
        if (pos < end && buf.getByte(pos) == 0) {
            // the unnamed statement and portal
            pos++;
            return "";
        }
        // Bytes are looked at in bulk copies, not one Buffer.getByte each (a call through the
        // Buffer, its slice and Netty's bounds and reference checks per byte: a query text's
        // scan showed in profiles). A window keeps a short name in front of a large remainder
        // (a Bind's parameters) from copying that remainder.
        int window = FIRST_WINDOW;
        for (int from = pos; from < end; from += window, window = Math.min(window * 4, MAX_WINDOW)) {
            int n = Math.min(window, end - from);
            byte[] bytes = buf.getBytes(from, from + n);
            for (int k = 0; k < n; k++) {
                if (bytes[k] == 0) {
                    String s = from == pos ? new String(bytes, 0, k, StandardCharsets.UTF_8) : buf.getString(pos, from + k);
                    pos = from + k + 1;
                    return s;
                }
            }
        }
        throw new PgProtocolException(SqlState.PROTOCOL_VIOLATION, "invalid string in message");
    }

    public Buffer bytes(int n) {
        if (n < 0) {
            throw new PgProtocolException(SqlState.PROTOCOL_VIOLATION, "invalid field length " + n);
        }
        need(n);
        Buffer b = buf.slice(pos, pos + n);
        pos += n;
        return b;
    }

    public Buffer rest() {
        Buffer b = buf.slice(pos, end);
        pos = end;
        return b;
    }

    private void need(int n) {
        if (end - pos < n) {
            throw new PgProtocolException(SqlState.PROTOCOL_VIOLATION, "invalid message format");
        }
    }
}
