package org.vxpool.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The event loop's read buffer is lent again only when nobody but the loop holds it. */
class ReadBuffersTest {
    private final ByteBufAllocator alloc = new UnpooledByteBufAllocator(true);

    @Test
    void aReleasedReadIsServedByTheSameBuffer() {
        ByteBuf first = ReadBuffers.lend(alloc, 2048);
        first.writeBytes("first".getBytes(StandardCharsets.US_ASCII));
        first.release();
        long before = ReadBuffers.reused();

        ByteBuf second = ReadBuffers.lend(alloc, 2048);
        assertThat(second).isSameAs(first);
        assertThat(second.readableBytes()).as("lent empty").isZero();
        assertThat(second.refCnt()).as("the loop's reference and the read's").isEqualTo(2);
        assertThat(ReadBuffers.reused()).isEqualTo(before + 1);
        second.release();
    }

    @Test
    void aBufferStillHeldByAQueuedWriteIsNotWrittenInto() {
        ByteBuf read = ReadBuffers.lend(alloc, 2048);
        read.writeBytes("answer of client A".getBytes(StandardCharsets.US_ASCII));
        // the relay's write to a slow client: a retained slice still queued after the read
        ByteBuf queued = read.retainedSlice(0, 6);
        read.release();

        ByteBuf next = ReadBuffers.lend(alloc, 2048);
        assertThat(next).isNotSameAs(read);
        next.writeBytes("client B".getBytes(StandardCharsets.US_ASCII));
        assertThat(queued.toString(StandardCharsets.US_ASCII)).isEqualTo("answer");
        next.release();

        queued.release();
        ByteBuf again = ReadBuffers.lend(alloc, 2048);
        assertThat(again).as("free again once the write is done").isSameAs(read);
        again.release();
    }

    @Test
    void aLargerGuessGetsItsOwnBuffer() {
        ByteBuf big = ReadBuffers.lend(alloc, 16384);
        assertThat(big.capacity()).isGreaterThanOrEqualTo(16384);
        assertThat(big.refCnt()).isEqualTo(1);
        big.release();
        ByteBuf small = ReadBuffers.lend(alloc, 2048);
        assertThat(small).isNotSameAs(big);
        assertThat(small.maxCapacity()).as("a read never grows the loop's buffer").isEqualTo(ReadBuffers.CAPACITY);
        small.release();
    }

    @Test
    void anotherAllocatorIsNotServedFromTheLoopsBuffer() {
        ByteBuf mine = ReadBuffers.lend(alloc, 2048);
        mine.release();
        ByteBufAllocator other = new UnpooledByteBufAllocator(true);
        ByteBuf theirs = ReadBuffers.lend(other, 2048);
        assertThat(theirs).isNotSameAs(mine);
        assertThat(theirs.alloc()).isSameAs(other);
        assertThat(mine.refCnt()).as("the replaced buffer is given back").isZero();
        theirs.release();
        ByteBuf again = ReadBuffers.lend(other, 2048);
        assertThat(ByteBufUtil.hexDump(again.writeByte(1))).isEqualTo("01");
        again.release();
    }
}
