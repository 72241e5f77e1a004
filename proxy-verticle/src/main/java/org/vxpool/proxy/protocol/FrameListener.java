package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/** Receives what a {@link FrameDecoder} cuts out of a byte stream. */
public interface FrameListener {

    /** A type-less start-up packet (length word included); only in start-up mode. */
    default void onStartupPacket(int code, Buffer packet) {
        // backends never send one; only a client decoder in start-up mode calls this
    }

    /**
     * A typed message occupying bytes {@code [start, start + length)} of {@code source}, type byte
     * and length word included, so it can be forwarded as a slice without copying. The bytes stay
     * valid after the call, unless {@link #keepsFrames()} is false: then they may be a network
     * buffer that is reused once the chunk has been delivered.
     */
    void onFrame(byte type, Buffer source, int start, int length);

    /**
     * Whether this listener may use a frame's bytes after {@link #onChunkEnd()} returns (keeps
     * slices, writes them asynchronously). A listener that returns false lets its connection feed
     * the decoder Netty's read buffer itself instead of a heap copy (see {@link SocketReads}).
     */
    default boolean keepsFrames() {
        return true;
    }

    /** Every complete frame of the last chunk was delivered, or decoding was paused. */
    default void onChunkEnd() {
    }

    /** Malformed or oversized input; the decoder stops for good. */
    void onProtocolError(PgProtocolException e);
}
