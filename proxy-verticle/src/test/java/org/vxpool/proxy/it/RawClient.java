package org.vxpool.proxy.it;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Map;
import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.StartupMessage;

/** A hand-driven socket for sending malformed or partial protocol input. */
public final class RawClient implements AutoCloseable {
    public final Socket socket;
    private final InputStream in;

    public RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
    }

    public RawClient send(Buffer b) throws IOException {
        socket.getOutputStream().write(b.getBytes());
        socket.getOutputStream().flush();
        return this;
    }

    public RawClient send(byte[] b) throws IOException {
        socket.getOutputStream().write(b);
        socket.getOutputStream().flush();
        return this;
    }

    public RawClient startup(String user) throws IOException {
        return send(new StartupMessage(PgProtocol.PROTOCOL_3_0, Map.of("user", user, "database", "postgres")).encode());
    }

    /** Reads one byte; -1 at end of stream. */
    public int readByte() throws IOException {
        return in.read();
    }

    /** Reads one typed message (type byte, length, body). */
    public Buffer readMessage() throws IOException {
        byte[] head = in.readNBytes(5);
        if (head.length < 5) {
            throw new IOException("connection closed after " + head.length + " header bytes");
        }
        int len = Buffer.buffer(head).getInt(1);
        byte[] body = in.readNBytes(len - 4);
        return Buffer.buffer(head).appendBytes(body);
    }

    /** Reads messages until one of {@code type} arrives. */
    public Buffer readUntil(byte type) throws IOException {
        while (true) {
            Buffer m = readMessage();
            if (m.getByte(0) == type) {
                return m;
            }
        }
    }

    /** Reads the ErrorResponse that should come next. */
    public ErrorResponse readError() throws IOException {
        Buffer m = readUntil(PgProtocol.Backend.ERROR_RESPONSE);
        return ErrorResponse.decode(m.slice(5, m.length()));
    }

    /** Whether the server closed the connection within the read timeout (after any pending bytes). */
    public boolean closedByServer() throws IOException {
        try {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                sink.write(buf, 0, n);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // connection reset also means closed
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
