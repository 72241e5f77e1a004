package org.vxpool.it.reliability;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A hand-driven client socket for hostile input: raw bytes out, typed backend messages in. */
final class RawSocket implements AutoCloseable {
    /** An ErrorResponse's fields by code ('C' SQLSTATE, 'M' message, 'S' severity). */
    record Error(Map<Character, String> fields) {
        String sqlState() {
            return fields.get('C');
        }

        String message() {
            return fields.get('M');
        }
    }

    private final Socket socket = new Socket();
    private final DataInputStream in;

    RawSocket(int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    }

    RawSocket send(byte[] b) throws IOException {
        socket.getOutputStream().write(b);
        socket.getOutputStream().flush();
        return this;
    }

    /** One typed backend message: its type byte, then its body. */
    byte[] readMessage() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("closed by the server");
        }
        int len = in.readInt();
        byte[] m = new byte[len - 3];
        m[0] = (byte) type;
        in.readFully(m, 1, len - 4);
        return m;
    }

    /** Reads messages until an ErrorResponse. */
    Error readError() throws IOException {
        while (true) {
            byte[] m = readMessage();
            if (m[0] == 'E') {
                Map<Character, String> fields = new HashMap<>();
                int i = 1;
                while (i < m.length && m[i] != 0) {
                    int end = i + 1;
                    while (m[end] != 0) {
                        end++;
                    }
                    fields.put((char) m[i], new String(m, i + 1, end - i - 1, StandardCharsets.UTF_8));
                    i = end + 1;
                }
                return new Error(fields);
            }
        }
    }

    /** Milliseconds until the server closed the connection (discarding what it sent); -1 if not within {@code limitMillis}. */
    long millisUntilClosed(long limitMillis) throws IOException {
        long t0 = System.nanoTime();
        socket.setSoTimeout((int) limitMillis);
        try {
            while (in.read() >= 0) {
                // discard
            }
        } catch (SocketTimeoutException e) {
            return -1;
        } catch (IOException reset) {
            // a reset is a close too
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static byte[] cancelRequest(int pid, int secret) {
        return ByteBuffer.allocate(16).putInt(16).putInt(WireMutator.CANCEL_REQUEST).putInt(pid).putInt(secret).array();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
