package org.vxpool.it.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Makes fuzz cases: a recorded client session cut into frames and mutated (bit flips, interesting
 * lengths, dropped, repeated, swapped and retyped frames, splices of two sessions), or raw random
 * frames. Everything comes from the {@link Random} passed in, so a seed reproduces a case.
 */
final class WireMutator {
    static final int PROTOCOL_3_0 = 196608;
    static final int SSL_REQUEST = 80877103;
    static final int CANCEL_REQUEST = 80877102;
    /** Frontend message types (F), including the ones only valid inside COPY or authentication. */
    private static final byte[] FRONTEND_TYPES = "QPBEDSCHFXdcfp".getBytes(StandardCharsets.US_ASCII);
    private static final int[] INTERESTING_INTS = {0, 1, 3, 4, 5, 7, 8, 9, -1, -4, 0x7fffffff, 0x80000000,
        0x7ffffffb, 10000, 10001, 65536, 1 << 24, 1 << 30, PROTOCOL_3_0, SSL_REQUEST, CANCEL_REQUEST, 2 << 16};
    private static final byte[] INTERESTING_BYTES = {0, (byte) 0xff, 0x7f, (byte) 0x80, 'Q', 'P', 'B', 'E', 'S',
        'X', 'd', 'c', 'f', 'p', '\'', ';', '$'};

    /** A recorded session: its leading type-less start-up packets, then typed frames. */
    record Session(String name, List<byte[]> frames, int untyped) {
    }

    /** Cuts a client-to-server recording into frames; trailing garbage becomes one last frame. */
    static Session split(String name, byte[] bytes) {
        List<byte[]> frames = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int untyped = 0;
        boolean startup = true;
        while (b.remaining() > 0) {
            int header = startup ? 4 : 5;
            int len = b.remaining() >= header ? b.getInt(b.position() + header - 4) : -1;
            int size = startup ? len : len + 1;
            if (len < 4 || size > b.remaining()) {
                frames.add(Arrays.copyOfRange(bytes, b.position(), bytes.length));
                break;
            }
            byte[] f = new byte[size];
            b.get(f);
            frames.add(f);
            if (startup) {
                untyped++;
                // Only SSLRequest/GSSENCRequest are followed by another type-less packet.
                startup = ByteBuffer.wrap(f).getInt(4) != PROTOCOL_3_0;
            }
        }
        return new Session(name, frames, untyped);
    }

    private final Random r;

    WireMutator(Random r) {
        this.r = r;
    }

    /** A mutated copy of {@code s}: 1 to 4 frame-level or byte-level mutations, sometimes a splice with {@code other}. */
    byte[] mutate(Session s, Session other) {
        List<byte[]> frames = new ArrayList<>();
        s.frames().forEach(f -> frames.add(f.clone()));
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            mutateFrames(frames, s.untyped(), other);
        }
        byte[] bytes = join(frames);
        if (r.nextInt(3) == 0) {
            bytes = mutateBytes(bytes);
        }
        return bytes;
    }

    private void mutateFrames(List<byte[]> frames, int untyped, Session other) {
        if (frames.isEmpty()) {
            frames.add(randomFrame());
            return;
        }
        int i = r.nextInt(frames.size());
        byte[] f = frames.get(i);
        if (f.length == 0) {
            frames.set(i, randomFrame());
            return;
        }
        boolean typed = i >= untyped;
        switch (r.nextInt(10)) {
            case 0 -> setInt(f, typed ? 1 : 0, pickInt(f.length));
            case 1 -> frames.remove(i);
            case 2 -> {
                int times = 1 + r.nextInt(r.nextInt(10) == 0 ? 500 : 3);
                for (int k = 0; k < times; k++) {
                    frames.add(i, f.clone());
                }
            }
            case 3 -> {
                int j = r.nextInt(frames.size());
                frames.set(i, frames.get(j));
                frames.set(j, f);
            }
            case 4 -> {
                if (typed) {
                    f[0] = r.nextBoolean() ? FRONTEND_TYPES[r.nextInt(FRONTEND_TYPES.length)] : (byte) r.nextInt(256);
                } else {
                    setInt(f, 4, pickInt(f.length));
                }
            }
            case 5 -> frames.add(i, randomFrame());
            case 6 -> {
                // Splice: our first frames, then the other session's tail.
                List<byte[]> tail = other.frames().subList(r.nextInt(other.frames().size()), other.frames().size());
                frames.subList(i, frames.size()).clear();
                tail.forEach(t -> frames.add(t.clone()));
            }
            case 7 -> frames.set(i, Arrays.copyOf(f, r.nextInt(f.length + 1)));
            default -> frames.set(i, mutateBytes(f));
        }
    }

    /** Byte-level havoc: bit flips, interesting values, inserted, deleted or repeated ranges. */
    byte[] mutateBytes(byte[] in) {
        byte[] b = in.clone();
        if (b.length == 0) {
            return randomBytes(1 + r.nextInt(16));
        }
        switch (r.nextInt(6)) {
            case 0 -> {
                for (int k = 1 + r.nextInt(8); k > 0; k--) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> b[r.nextInt(b.length)] = INTERESTING_BYTES[r.nextInt(INTERESTING_BYTES.length)];
            case 2 -> {
                if (b.length >= 4) {
                    setInt(b, r.nextInt(b.length - 3), pickInt(b.length));
                }
            }
            case 3 -> {
                int at = r.nextInt(b.length);
                int len = r.nextInt(b.length - at) + 1;
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + len, out, at, b.length - at - len);
                return out;
            }
            case 4 -> {
                int at = r.nextInt(b.length + 1);
                return concat(Arrays.copyOf(b, at), randomBytes(1 + r.nextInt(64)), Arrays.copyOfRange(b, at, b.length));
            }
            default -> {
                int at = r.nextInt(b.length);
                int len = 1 + r.nextInt(Math.min(64, b.length - at));
                byte[] piece = Arrays.copyOfRange(b, at, at + len);
                return concat(Arrays.copyOf(b, at + len), piece, Arrays.copyOfRange(b, at + len, b.length));
            }
        }
        return b;
    }

    /** A raw case without a recording: random bytes, a random start-up packet, or a trusted login followed by random frames. */
    byte[] raw(String user) {
        switch (r.nextInt(4)) {
            case 0:
                return randomBytes(1 + r.nextInt(r.nextBoolean() ? 16 : 2048));
            case 1:
                return randomStartup();
            default:
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(startup(Map.of("user", user, "database", "postgres")));
                for (int k = 1 + r.nextInt(6); k > 0; k--) {
                    out.writeBytes(randomFrame());
                }
                return out.toByteArray();
        }
    }

    private byte[] randomStartup() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int k = r.nextInt(8); k > 0; k--) {
            body.writeBytes(randomBytes(r.nextInt(12)));
            body.write(0);
        }
        if (r.nextBoolean()) {
            body.write(0);
        }
        int code = r.nextBoolean() ? PROTOCOL_3_0 : INTERESTING_INTS[r.nextInt(INTERESTING_INTS.length)];
        return ByteBuffer.allocate(8 + body.size()).putInt(8 + body.size()).putInt(code).put(body.toByteArray()).array();
    }

    /** A typed frame whose length word matches its random body. */
    byte[] randomFrame() {
        byte type = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : FRONTEND_TYPES[r.nextInt(FRONTEND_TYPES.length)];
        byte[] body = randomBytes(r.nextInt(r.nextInt(8) == 0 ? 1024 : 24));
        return ByteBuffer.allocate(5 + body.length).put(type).putInt(4 + body.length).put(body).array();
    }

    static byte[] startup(Map<String, String> params) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        params.forEach((k, v) -> {
            body.writeBytes(k.getBytes(StandardCharsets.UTF_8));
            body.write(0);
            body.writeBytes(v.getBytes(StandardCharsets.UTF_8));
            body.write(0);
        });
        body.write(0);
        return ByteBuffer.allocate(8 + body.size()).putInt(8 + body.size()).putInt(PROTOCOL_3_0)
                .put(body.toByteArray()).array();
    }

    private int pickInt(int frameLength) {
        return switch (r.nextInt(3)) {
            case 0 -> frameLength + r.nextInt(9) - 4;
            case 1 -> r.nextInt();
            default -> INTERESTING_INTS[r.nextInt(INTERESTING_INTS.length)];
        };
    }

    private static void setInt(byte[] b, int at, int value) {
        if (at + 4 <= b.length) {
            ByteBuffer.wrap(b).putInt(at, value);
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    static byte[] join(List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        return join(List.of(parts));
    }
}
