package org.vxpool.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * Reads a socket below {@link NetSocket#handler}: Vert.x's handler copies every read from Netty's
 * pooled direct buffer into a new heap buffer and passes it through an inbound queue. Here the
 * sink gets Netty's buffer itself while it {@linkplain Sink#canBorrow can borrow} it (its frames
 * are written on as retained slices, {@code RelayWriter}, and nothing else keeps them), and a
 * heap copy otherwise. A borrowed buffer is released as soon as the sink returns, so the sink
 * must copy what it keeps ({@link FrameDecoder#unborrow}). Pause and resume keep working: they
 * reach the channel's read side as with a handler.
 */
public final class SocketReads {

    /** Takes the chunks read from one socket. */
    public interface Sink {
        /** Whether the next chunk may be lent: valid only until {@link #chunk} returns. */
        boolean canBorrow();

        /** One read; {@code borrowed} says whether it is Netty's buffer, released after the call. */
        void chunk(Buffer chunk, boolean borrowed);
    }

    /**
     * Read buffer sizes: adaptive up to 64 KiB for big results and COPY, but never below 2 KiB.
     * Netty's default shrinks its guess towards 64 bytes while the reads are small, so in a mixed
     * workload (pgbench TPC-B: 17-byte command tags, then a 70-byte row) a larger answer that
     * follows small ones is read in two parts and relayed in two writes: 1.2 extra receives and
     * 0.5 extra sends per TPC-B transaction. PgBouncer reads into a fixed 4 KiB buffer. A read
     * buffer lives only until the chunk is relayed, so its size costs no memory per connection.
     */
    private static final RecvByteBufAllocator READ_SIZES = new AdaptiveRecvByteBufAllocator(2048, 2048, 65536);

    private SocketReads() {
    }

    /**
     * The owner is done with {@code socket}: reads that Vert.x queued while it was paused are
     * Netty's pooled buffers, which Vert.x does not release when the connection closes, so resume
     * it and let the sink drop them (it ignores input once closed); the handler releases them.
     */
    public static void drain(NetSocket socket) {
        socket.resume();
    }

    /** Sends what {@code socket} reads to {@code sink} from now on. */
    public static void install(NetSocket socket, Sink sink) {
        if (!(socket instanceof NetSocketInternal raw)) {
            socket.handler(b -> sink.chunk(b, false));
            return;
        }
        // Netty picks the allocator's handle at the channel's first read: this runs before it for
        // clients (connect handler) and plain backends (before the StartupMessage is sent)
        raw.channelHandlerContext().channel().config().setRecvByteBufAllocator(READ_SIZES);
        raw.messageHandler(msg -> {
            if (!(msg instanceof ByteBuf bb)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (!sink.canBorrow()) {
                // takes over the buffer: copies it to the heap and releases it
                sink.chunk(BufferInternal.safeBuffer(bb), false);
                return;
            }
            try {
                // Buffer indexes are absolute: lend a view starting at the first readable byte
                sink.chunk(BufferInternal.buffer(bb.readerIndex() == 0 ? bb : bb.slice()), true);
            } finally {
                bb.release();
            }
        });
    }
}
