package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * Cuts a byte stream into protocol frames: type-less start-up packets while in start-up mode,
 * then {@code (type, int32 length, body)} messages. Handles frames split over reads and several
 * frames in one read; complete frames are handed out as positions in the received buffer so the
 * relay can forward them without copying. Single-threaded: use it from one event loop.
 */
public final class FrameDecoder {
    /** A partial frame bigger than this is grown by the buffer instead of reserved up front. */
    private static final int MAX_RESERVE = 16 * 1024 * 1024;

    private final FrameListener listener;
    private final int maxLength;
    private boolean startupMode;
    private boolean paused;
    private boolean failed;
    private boolean inLoop;

    /** Unprocessed bytes are {@code buf[pos..limit)}. */
    private Buffer buf;
    private int pos;
    /**
     * {@code buf.length()}, kept as {@code buf} changes: asked before every frame, and the call
     * through the Buffer to Netty's writer index showed in profiles.
     */
    private int limit;
    /** True when {@code buf} is our own accumulation buffer, so appending in place is safe. */
    private boolean ownsBuf;

    /**
     * @param maxLength largest accepted message length (the length word's value)
     * @param startupMode whether the stream starts with type-less start-up packets
     */
    public FrameDecoder(FrameListener listener, int maxLength, boolean startupMode) {
        this.listener = listener;
        this.maxLength = maxLength;
        this.startupMode = startupMode;
    }

    /** Leave start-up mode: every following frame carries a type byte. */
    public void startupDone() {
        startupMode = false;
    }

    public boolean startupMode() {
        return startupMode;
    }

    /** Stop delivering frames after the current one; bytes keep being buffered. */
    public void pause() {
        paused = true;
    }

    /** Deliver buffered frames again, synchronously, then wait for more input. */
    public void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        if (!inLoop) {
            process();
        }
    }

    public boolean isPaused() {
        return paused;
    }

    /** Bytes received but not delivered yet. */
    public int buffered() {
        return buf == null ? 0 : limit - pos;
    }

    public void feed(Buffer chunk) {
        if (failed) {
            return;
        }
        int remaining = buffered();
        if (remaining == 0) {
            buf = chunk;
            pos = 0;
            ownsBuf = false;
        } else if (ownsBuf && pos == 0) {
            buf.appendBuffer(chunk);
        } else {
            Buffer acc = Buffer.buffer(Math.max(remaining + chunk.length(), reserveFor(remaining)));
            acc.appendBuffer(buf, pos, remaining).appendBuffer(chunk);
            buf = acc;
            pos = 0;
            ownsBuf = true;
        }
        limit = buf.length();
        process();
    }

    /**
     * The chunk last {@linkplain #feed fed} is about to be reused by its owner (a borrowed network
     * buffer): keep a copy of the bytes not delivered yet (a partial frame, or frames held back by
     * {@link #pause()}) and drop every reference to the chunk.
     */
    public void unborrow(Buffer chunk) {
        if (buf != chunk) {
            return;
        }
        int remaining = buffered();
        if (remaining == 0) {
            buf = null;
            pos = 0;
            limit = 0;
            return;
        }
        Buffer own = Buffer.buffer(Math.max(remaining, reserveFor(remaining)));
        own.appendBuffer(buf, pos, remaining);
        buf = own;
        pos = 0;
        limit = own.length();
        ownsBuf = true;
    }

    /** Capacity worth reserving for the partial frame at {@code pos}: its full size if known. */
    private int reserveFor(int remaining) {
        int header = startupMode ? 4 : 5;
        if (remaining < header) {
            return 0;
        }
        int len = buf.getInt(startupMode ? pos : pos + 1);
        return len > 0 && len <= maxLength ? (int) Math.min(len + 1L, MAX_RESERVE) : 0;
    }

    private void process() {
        inLoop = true;
        try {
            while (!paused && !failed && nextFrame()) {
                // nextFrame delivered one frame
            }
        } finally {
            inLoop = false;
        }
        if (!failed) {
            listener.onChunkEnd();
        }
    }

    private boolean nextFrame() {
        int avail = buffered();
        if (startupMode) {
            if (avail < 4) {
                return false;
            }
            int len = buf.getInt(pos);
            if (len < 8 || len > PgProtocol.MAX_STARTUP_PACKET_LENGTH) {
                return fail(new PgProtocolException(SqlState.PROTOCOL_VIOLATION, "invalid length of startup packet"));
            }
            if (avail < len) {
                return false;
            }
            Buffer packet = buf.slice(pos, pos + len);
            int code = buf.getInt(pos + 4);
            pos += len;
            listener.onStartupPacket(code, packet);
            return true;
        }
        if (avail < 5) {
            return false;
        }
        byte type = buf.getByte(pos);
        int len = buf.getInt(pos + 1);
        if (len < 4) {
            return fail(new PgProtocolException(SqlState.PROTOCOL_VIOLATION,
                    "invalid message length " + len + " for message type \"" + printable(type) + "\""));
        }
        if (len > maxLength) {
            return fail(new PgProtocolException(SqlState.PROTOCOL_VIOLATION,
                    "message length " + len + " for message type \"" + printable(type)
                            + "\" exceeds max_message_length " + maxLength));
        }
        if (avail <= len) {
            return false;
        }
        int start = pos;
        pos += len + 1;
        listener.onFrame(type, buf, start, len + 1);
        return true;
    }

    private boolean fail(PgProtocolException e) {
        failed = true;
        buf = null;
        limit = 0;
        listener.onProtocolError(e);
        return false;
    }

    static String printable(byte type) {
        return type >= 0x20 && type < 0x7f ? String.valueOf((char) type) : String.format("\\x%02x", type & 0xff);
    }
}
