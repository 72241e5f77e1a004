package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/** Reads fields of a message body; a short or unterminated field is a protocol violation. */
public final class MessageReader {
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
        for (int i = pos; i < end; i++) {
            if (buf.getByte(i) == 0) {
                // Buffer's two-index getString decodes UTF-8 without a charset lookup by name
                String s = i == pos ? "" : buf.getString(pos, i);
                pos = i + 1;
                return s;
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
