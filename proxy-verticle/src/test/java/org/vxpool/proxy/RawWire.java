package org.vxpool.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Frontend messages written by hand, for tests that must control exactly what reaches the socket
 * and when (a client that stops reading, units sent back to back), which a driver hides.
 */
public final class RawWire {
    private RawWire() {
    }

    /** StartupMessage, protocol 3.0, for {@code user} on database postgres. */
    public static byte[] startup(String user) {
        byte[] params = ("user\0" + user + "\0database\0postgres\0\0").getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + params.length).putInt(8 + params.length).putInt(196608).put(params).array();
    }

    /** A simple-protocol Query message. */
    public static byte[] query(String sql) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 4 + text.length + 1).put((byte) 'Q').putInt(4 + text.length + 1).put(text).put((byte) 0).array();
    }

    /** Skips the start-up answer up to ReadyForQuery; an ErrorResponse in it fails the test. */
    public static void readUntilReady(DataInputStream in) throws IOException {
        while (true) {
            byte type = in.readByte();
            int len = in.readInt();
            in.skipNBytes(len - 4);
            assertThat((char) type).as("start-up answer").isNotEqualTo('E');
            if (type == 'Z') {
                return;
            }
        }
    }
}
