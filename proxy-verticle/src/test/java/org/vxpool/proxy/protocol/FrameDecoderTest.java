package org.vxpool.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    /** Records what the decoder delivers. */
    static final class Recorder implements FrameListener {
        final List<String> events = new ArrayList<>();
        final List<Buffer> frames = new ArrayList<>();
        PgProtocolException error;
        int chunkEnds;
        FrameDecoder decoder;
        boolean leaveStartupAfterFirst;

        @Override
        public void onStartupPacket(int code, Buffer packet) {
            events.add("startup:" + code + ":" + packet.length());
            if (leaveStartupAfterFirst) {
                decoder.startupDone();
            }
        }

        @Override
        public void onFrame(byte type, Buffer source, int start, int length) {
            events.add((char) type + ":" + length);
            frames.add(source.slice(start, start + length).copy());
        }

        @Override
        public void onChunkEnd() {
            chunkEnds++;
        }

        @Override
        public void onProtocolError(PgProtocolException e) {
            error = e;
        }
    }

    private static Recorder decoder(int max, boolean startup) {
        Recorder r = new Recorder();
        r.decoder = new FrameDecoder(r, max, startup);
        return r;
    }

    private static Buffer stream() {
        return Buffer.buffer()
                .appendBuffer(new Query("SELECT 1").encode())
                .appendBuffer(Sync.encode())
                .appendBuffer(new Query("").encode())
                .appendBuffer(Terminate.encode());
    }

    @Test
    void coalescedFramesAreSplit() {
        Recorder r = decoder(1 << 20, false);
        Buffer all = stream();
        r.decoder.feed(all);
        assertThat(r.events).containsExactly("Q:14", "S:5", "Q:6", "X:5");
        assertThat(r.frames.get(0)).isEqualTo(new Query("SELECT 1").encode());
        assertThat(r.error).isNull();
    }

    @Test
    void everySplitPointGivesTheSameFrames() {
        Buffer all = stream();
        for (int cut = 0; cut <= all.length(); cut++) {
            Recorder r = decoder(1 << 20, false);
            r.decoder.feed(all.getBuffer(0, cut));
            r.decoder.feed(all.getBuffer(cut, all.length()));
            assertThat(r.events).as("cut at %d", cut).containsExactly("Q:14", "S:5", "Q:6", "X:5");
            assertThat(r.decoder.buffered()).isZero();
        }
    }

    @Test
    void byteByByteFeeding() {
        Buffer all = stream();
        Recorder r = decoder(1 << 20, false);
        for (int i = 0; i < all.length(); i++) {
            r.decoder.feed(all.getBuffer(i, i + 1));
        }
        assertThat(r.events).containsExactly("Q:14", "S:5", "Q:6", "X:5");
        Buffer joined = Buffer.buffer();
        r.frames.forEach(joined::appendBuffer);
        assertThat(joined).isEqualTo(all);
    }

    @Test
    void largeFrameInManyChunks() {
        byte[] big = new byte[3_000_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        Buffer msg = MessageBuilder.typed(PgProtocol.Frontend.COPY_DATA).bytes(Buffer.buffer(big)).build();
        Recorder r = decoder(1 << 30, false);
        for (int off = 0; off < msg.length(); off += 65536) {
            r.decoder.feed(msg.getBuffer(off, Math.min(msg.length(), off + 65536)));
        }
        assertThat(r.events).containsExactly("d:" + msg.length());
        assertThat(r.frames.get(0)).isEqualTo(msg);
    }

    @Test
    void zeroLengthBodyIsAFrame() {
        Recorder r = decoder(100, false);
        r.decoder.feed(Buffer.buffer(new byte[] {'H', 0, 0, 0, 4}));
        assertThat(r.events).containsExactly("H:5");
    }

    @Test
    void oversizedLengthIsRejected() {
        Recorder r = decoder(1000, false);
        r.decoder.feed(Buffer.buffer(new byte[] {'Q', 0, 0, 0x10, 0}));
        assertThat(r.error).isNotNull();
        assertThat(r.error.sqlState()).isEqualTo("08P01");
        assertThat(r.error.getMessage()).contains("exceeds max_message_length 1000");
        r.decoder.feed(new Query("x").encode());
        assertThat(r.events).isEmpty();
    }

    @Test
    void hugeLengthWithoutLimitWaitsInsteadOfOverflowing() {
        Recorder r = decoder(Integer.MAX_VALUE, false);
        r.decoder.feed(Buffer.buffer().appendByte((byte) 'D').appendInt(Integer.MAX_VALUE).appendBytes(new byte[100]));
        assertThat(r.events).isEmpty();
        assertThat(r.error).isNull();
        assertThat(r.decoder.buffered()).isEqualTo(105);
    }

    @Test
    void negativeAndTooSmallLengthsAreRejected() {
        for (int len : new int[] {-1, 0, 3, Integer.MIN_VALUE}) {
            Recorder r = decoder(1000, false);
            r.decoder.feed(Buffer.buffer().appendByte((byte) 'Q').appendInt(len));
            assertThat(r.error).as("length %d", len).isNotNull();
            assertThat(r.error.sqlState()).isEqualTo("08P01");
            assertThat(r.error.getMessage()).contains("invalid message length");
        }
    }

    @Test
    void startupPacketThenTypedFrames() {
        Recorder r = decoder(1000, true);
        r.leaveStartupAfterFirst = true;
        Buffer startup = new StartupMessage(PgProtocol.PROTOCOL_3_0, Map.of("user", "u")).encode();
        r.decoder.feed(Buffer.buffer().appendBuffer(startup).appendBuffer(new Query("SELECT 1").encode()));
        assertThat(r.events).containsExactly("startup:196608:" + startup.length(), "Q:14");
    }

    @Test
    void sslRequestThenStartupInOtherRead() {
        Recorder r = decoder(1000, true);
        r.decoder.feed(Buffer.buffer().appendInt(8).appendInt(PgProtocol.SSL_REQUEST_CODE));
        r.decoder.feed(Buffer.buffer().appendInt(16).appendInt(PgProtocol.CANCEL_REQUEST_CODE).appendInt(1));
        r.decoder.feed(Buffer.buffer().appendInt(2));
        assertThat(r.events).containsExactly("startup:80877103:8", "startup:80877102:16");
    }

    @Test
    void startupLengthLimits() {
        for (int len : new int[] {7, 0, -5, 10001}) {
            Recorder r = decoder(1000, true);
            r.decoder.feed(Buffer.buffer().appendInt(len).appendInt(PgProtocol.PROTOCOL_3_0));
            assertThat(r.error).as("length %d", len).isNotNull();
            assertThat(r.error.getMessage()).isEqualTo("invalid length of startup packet");
        }
    }

    @Test
    void garbageBeforeStartupIsRejected() {
        Recorder r = decoder(1000, true);
        r.decoder.feed(Buffer.buffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertThat(r.error).isNotNull();
        assertThat(r.error.sqlState()).isEqualTo("08P01");
    }

    @Test
    void pauseKeepsFramesUntilResume() {
        Recorder r = decoder(1000, false);
        FrameListener pausing = new FrameListener() {
            @Override
            public void onStartupPacket(int code, Buffer packet) {
            }

            @Override
            public void onFrame(byte type, Buffer source, int start, int length) {
                r.onFrame(type, source, start, length);
                r.decoder.pause();
            }

            @Override
            public void onChunkEnd() {
            }

            @Override
            public void onProtocolError(PgProtocolException e) {
            }
        };
        r.decoder = new FrameDecoder(pausing, 1000, false);
        r.decoder.feed(stream());
        assertThat(r.events).containsExactly("Q:14");
        r.decoder.feed(Sync.encode());
        assertThat(r.events).containsExactly("Q:14");
        r.decoder.resume();
        assertThat(r.events).containsExactly("Q:14", "S:5");
        r.decoder.resume();
        r.decoder.resume();
        r.decoder.resume();
        r.decoder.resume();
        assertThat(r.events).containsExactly("Q:14", "S:5", "Q:6", "X:5", "S:5");
    }

    @Test
    void framesStayValidAfterLaterFeeds() {
        List<Buffer> slices = new ArrayList<>();
        FrameListener keep = new FrameListener() {
            @Override
            public void onStartupPacket(int code, Buffer packet) {
            }

            @Override
            public void onFrame(byte type, Buffer source, int start, int length) {
                slices.add(source.slice(start, start + length));
            }

            @Override
            public void onChunkEnd() {
            }

            @Override
            public void onProtocolError(PgProtocolException e) {
            }
        };
        FrameDecoder d = new FrameDecoder(keep, 1000, false);
        Buffer all = stream();
        d.feed(all.getBuffer(0, 16));
        d.feed(all.getBuffer(16, 22));
        d.feed(all.getBuffer(22, all.length()));
        Buffer joined = Buffer.buffer();
        slices.forEach(joined::appendBuffer);
        assertThat(joined).isEqualTo(all);
    }

    /** A borrowed chunk is overwritten once decoding returns, as Netty reuses its read buffers. */
    private static void scribble(Buffer chunk) {
        for (int i = 0; i < chunk.length(); i++) {
            chunk.setByte(i, (byte) 0x7f);
        }
    }

    @Test
    void unborrowKeepsAPartialFrameOfALentChunk() {
        Recorder r = decoder(1 << 20, false);
        Buffer all = stream();
        int cut = 14 + 5 + 3;
        Buffer lent = all.getBuffer(0, cut);
        r.decoder.feed(lent);
        r.decoder.unborrow(lent);
        scribble(lent);
        r.decoder.feed(all.getBuffer(cut, all.length()));
        assertThat(r.events).containsExactly("Q:14", "S:5", "Q:6", "X:5");
        assertThat(r.frames.get(2)).isEqualTo(new Query("").encode());
        assertThat(r.error).isNull();
    }

    @Test
    void unborrowKeepsFramesHeldBackByPause() {
        Recorder r = decoder(1 << 20, false);
        Buffer lent = stream();
        FrameListener pauseAfterFirst = new FrameListener() {
            @Override
            public void onFrame(byte type, Buffer source, int start, int length) {
                r.onFrame(type, source, start, length);
                r.decoder.pause();
            }

            @Override
            public void onProtocolError(PgProtocolException e) {
                r.onProtocolError(e);
            }
        };
        FrameDecoder d = new FrameDecoder(pauseAfterFirst, 1 << 20, false);
        r.decoder = d;
        d.feed(lent);
        d.unborrow(lent);
        scribble(lent);
        assertThat(d.buffered()).isEqualTo(lent.length() - 14);
        while (d.isPaused()) {
            d.resume();
        }
        assertThat(r.events).containsExactly("Q:14", "S:5", "Q:6", "X:5");
        assertThat(r.frames).containsExactly(new Query("SELECT 1").encode(), Sync.encode(), new Query("").encode(),
                Terminate.encode());
    }

    @Test
    void unborrowOfAFullyDecodedChunkDropsIt() {
        Recorder r = decoder(1 << 20, false);
        Buffer lent = stream();
        r.decoder.feed(lent);
        r.decoder.unborrow(lent);
        scribble(lent);
        assertThat(r.decoder.buffered()).isZero();
        r.decoder.feed(Sync.encode());
        assertThat(r.events).containsExactly("Q:14", "S:5", "Q:6", "X:5", "S:5");
    }
}
