package org.vxpool.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.atomic.LongAdder;

/**
 * Read buffer sizes of another {@link RecvByteBufAllocator}, with one small read buffer per event
 * loop that is used again while nothing else holds it. A relayed read lives only until its chunk
 * is handled ({@link SocketReads}): its frames leave as retained slices that are normally written
 * before the next read, so on the next read the loop's buffer is free again, and the read costs no
 * allocation and no release in Netty's adaptive allocator (about 10 % of the event loops' Java
 * time per select transaction in session 9's profile). The loop keeps one reference of its own;
 * the buffer is lent only when that is the only one, so a buffer still referenced by a queued
 * write (a slow peer), by a read Vert.x holds for a paused socket, or by a TLS record in
 * progress is never written into: the read then gets a new buffer, as without this class.
 */
final class ReadBuffers implements RecvByteBufAllocator {

    /** The size the sizes allocator starts from and never goes below (a pgbench answer fits). */
    static final int CAPACITY = 2048;

    private static final LongAdder REUSED = new LongAdder();

    private static final FastThreadLocal<ByteBuf[]> LOOP_BUFFER = new FastThreadLocal<>() {
        @Override
        protected ByteBuf[] initialValue() {
            return new ByteBuf[1];
        }

        @Override
        protected void onRemoval(ByteBuf[] value) {
            if (value[0] != null) {
                value[0].release();
                value[0] = null;
            }
        }
    };

    private final RecvByteBufAllocator sizes;

    ReadBuffers(RecvByteBufAllocator sizes) {
        this.sizes = sizes;
    }

    /** Reads served by a loop's own buffer since start (tests show the path is taken). */
    static long reused() {
        return REUSED.sum();
    }

    @Override
    public Handle newHandle() {
        return new LoopBufferHandle((ExtendedHandle) sizes.newHandle());
    }

    /**
     * The loop's buffer when the guess fits and nobody else holds it, else one from {@code alloc}.
     * Runs on the channel's event loop, where every reference to the loop's buffer is taken and
     * given back, so its count cannot change between the check and the lend.
     */
    static ByteBuf lend(ByteBufAllocator alloc, int guess) {
        if (guess > CAPACITY) {
            return alloc.ioBuffer(guess);
        }
        ByteBuf[] slot = LOOP_BUFFER.get();
        ByteBuf own = slot[0];
        if (own == null || own.alloc() != alloc) {
            if (own != null) {
                own.release();
            }
            own = alloc.ioBuffer(CAPACITY, CAPACITY);
            if (!own.isDirect()) {
                // a heap read would be copied on every write: not worth keeping
                slot[0] = null;
                return own;
            }
            slot[0] = own;
        } else if (own.refCnt() != 1) {
            return alloc.ioBuffer(guess);
        } else {
            REUSED.increment();
        }
        return own.clear().retain();
    }

    private static final class LoopBufferHandle implements ExtendedHandle {
        private final ExtendedHandle sizes;

        LoopBufferHandle(ExtendedHandle sizes) {
            this.sizes = sizes;
        }

        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            return lend(alloc, sizes.guess());
        }

        @Override
        public int guess() {
            return sizes.guess();
        }

        @Override
        public void reset(ChannelConfig config) {
            sizes.reset(config);
        }

        @Override
        public void incMessagesRead(int numMessages) {
            sizes.incMessagesRead(numMessages);
        }

        @Override
        public void lastBytesRead(int bytes) {
            sizes.lastBytesRead(bytes);
        }

        @Override
        public int lastBytesRead() {
            return sizes.lastBytesRead();
        }

        @Override
        public void attemptedBytesRead(int bytes) {
            sizes.attemptedBytesRead(bytes);
        }

        @Override
        public int attemptedBytesRead() {
            return sizes.attemptedBytesRead();
        }

        @Override
        public boolean continueReading() {
            return sizes.continueReading();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
            return sizes.continueReading(maybeMoreDataSupplier);
        }

        @Override
        public void readComplete() {
            sizes.readComplete();
        }
    }
}
