package org.vxpool.proxy.auth;

import io.vertx.core.buffer.Buffer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.vxpool.proxy.protocol.Frame;
import org.vxpool.proxy.protocol.MessageBuilder;
import org.vxpool.proxy.protocol.PgProtocol;

/** A blocking protocol client for tests that need to send what no driver would. */
final class WireClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    WireClient(int port, String user, String database) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        send(MessageBuilder.untyped().int32(PgProtocol.PROTOCOL_3_0).cstring("user").cstring(user)
                .cstring("database").cstring(database).int8(0).build());
    }

    void send(Buffer message) throws IOException {
        out.write(message.getBytes());
        out.flush();
    }

    Frame read() throws IOException {
        byte type = in.readByte();
        byte[] body = new byte[in.readInt() - 4];
        in.readFully(body);
        return new Frame(type, Buffer.buffer(body));
    }

    /** The SQLSTATE of an ErrorResponse body ('C' field). */
    static String sqlState(Frame error) {
        String[] fields = error.body().toString(StandardCharsets.UTF_8).split("\0");
        for (String f : fields) {
            if (f.startsWith("C")) {
                return f.substring(1);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
