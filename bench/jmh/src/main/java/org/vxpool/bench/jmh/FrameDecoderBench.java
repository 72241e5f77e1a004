package org.vxpool.bench.jmh;

import io.vertx.core.buffer.Buffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;
import org.vxpool.proxy.protocol.FrameDecoder;
import org.vxpool.proxy.protocol.FrameListener;
import org.vxpool.proxy.protocol.MessageBuilder;
import org.vxpool.proxy.protocol.PgProtocolException;

/**
 * The frame decoder on the chunks a pgbench {@code -S -M prepared} transaction produces: the
 * client's Bind/Execute/Sync and the backend's BindComplete/DataRow/CommandComplete/ReadyForQuery,
 * whole and split in the middle of a frame (the partial-read path).
 */
public class FrameDecoderBench extends HotPathBench {

    private Buffer clientBatch;
    private Buffer backendAnswer;
    private Buffer firstHalf;
    private Buffer secondHalf;
    private FrameDecoder decoder;
    private Blackhole bh;

    @Setup
    public void setup(Blackhole blackhole) {
        bh = blackhole;
        clientBatch = Buffer.buffer()
                .appendBuffer(MessageBuilder.typed((byte) 'B').cstring("").cstring("P0_1").int16(0).int16(1)
                        .int32(4).bytes(Buffer.buffer("4711")).int16(0).build())
                .appendBuffer(MessageBuilder.typed((byte) 'E').cstring("").int32(0).build())
                .appendBuffer(MessageBuilder.typed((byte) 'S').build());
        backendAnswer = Buffer.buffer()
                .appendBuffer(MessageBuilder.typed((byte) '2').build())
                .appendBuffer(MessageBuilder.typed((byte) 'D').int16(1).int32(5).bytes(Buffer.buffer("12345")).build())
                .appendBuffer(MessageBuilder.typed((byte) 'C').cstring("SELECT 1").build())
                .appendBuffer(MessageBuilder.typed((byte) 'Z').int8('I').build());
        int cut = 12; // inside the DataRow
        firstHalf = backendAnswer.getBuffer(0, cut);
        secondHalf = backendAnswer.getBuffer(cut, backendAnswer.length());
        decoder = new FrameDecoder(new Sink(), Integer.MAX_VALUE, false);
    }

    /** One whole client read chunk: three frames. */
    @Benchmark
    public void clientChunk() {
        decoder.feed(clientBatch);
    }

    /** One whole backend read chunk: four frames. */
    @Benchmark
    public void backendChunk() {
        decoder.feed(backendAnswer);
    }

    /** The backend answer in two reads, the cut inside a frame: the accumulation path. */
    @Benchmark
    public void backendChunkSplit() {
        decoder.feed(firstHalf);
        decoder.feed(secondHalf);
    }

    private final class Sink implements FrameListener {
        @Override
        public void onFrame(byte type, Buffer source, int start, int length) {
            bh.consume(type);
            bh.consume(start + length);
        }

        @Override
        public void onProtocolError(PgProtocolException e) {
            throw new IllegalStateException(e);
        }
    }
}
