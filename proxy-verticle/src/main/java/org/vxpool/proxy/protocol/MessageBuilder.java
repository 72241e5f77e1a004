package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** Writes one protocol message: type byte (if any), a length patched by {@link #build()}, body. */
public final class MessageBuilder {
    private final Buffer buf;
    private final int lengthAt;

    private MessageBuilder(Buffer buf, int lengthAt) {
        this.buf = buf;
        this.lengthAt = lengthAt;
    }

    /** A message with a type byte. */
    public static MessageBuilder typed(byte type) {
        Buffer b = Buffer.buffer(64);
        b.appendByte(type).appendInt(0);
        return new MessageBuilder(b, 1);
    }

    /** A start-up packet: no type byte. */
    public static MessageBuilder untyped() {
        Buffer b = Buffer.buffer(64);
        b.appendInt(0);
        return new MessageBuilder(b, 0);
    }

    public MessageBuilder int32(int v) {
        buf.appendInt(v);
        return this;
    }

    public MessageBuilder int16(int v) {
        buf.appendShort((short) v);
        return this;
    }

    public MessageBuilder int8(int v) {
        buf.appendByte((byte) v);
        return this;
    }

    public MessageBuilder cstring(String s) {
        buf.appendBytes(s.getBytes(StandardCharsets.UTF_8)).appendByte((byte) 0);
        return this;
    }

    public MessageBuilder bytes(Buffer b) {
        buf.appendBuffer(b);
        return this;
    }

    public Buffer build() {
        buf.setInt(lengthAt, buf.length() - lengthAt);
        return buf;
    }
}
