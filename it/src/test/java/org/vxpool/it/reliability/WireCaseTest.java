package org.vxpool.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The fuzzer's verdicts against hand-made servers, so that {@link ProtocolFuzzTest} can fail: a
 * server that reads and never closes is a hang, one that answers with an ErrorResponse and
 * closes is told apart from one that just closes.
 */
class WireCaseTest {
    private interface Behaviour {
        void serve(Socket s) throws IOException;
    }

    @Test
    void serverThatNeverClosesIsAHang() throws Exception {
        AtomicReference<Socket> held = new AtomicReference<>();
        try (ServerSocket server = serve(s -> {
            held.set(s);
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // reads everything, even the half-close, and never closes
            }
        })) {
            WireCase.Result r = WireCase.run(server.getLocalPort(), new byte[] {0, 0, 0, 8, 0, 3, 0, 0}, new Random(1),
                    50, 500);
            assertThat(r.outcome()).isEqualTo(WireCase.Outcome.HUNG);
        } finally {
            if (held.get() != null) {
                held.get().close();
            }
        }
    }

    @Test
    void errorResponseThenCloseAndPlainClose() throws Exception {
        byte[] error = {'E', 0, 0, 0, 12, 'C', '0', '8', 'P', '0', '1', 0, 0};
        try (ServerSocket server = serve(s -> {
            OutputStream out = s.getOutputStream();
            out.write(error);
            out.flush();
            s.close();
        })) {
            assertThat(WireCase.run(server.getLocalPort(), new byte[] {1, 2, 3}, new Random(2), 50, 500).outcome())
                    .isEqualTo(WireCase.Outcome.ERROR_AND_CLOSED);
        }
        try (ServerSocket server = serve(Socket::close)) {
            assertThat(WireCase.run(server.getLocalPort(), new byte[] {1, 2, 3}, new Random(3), 50, 500).outcome())
                    .isEqualTo(WireCase.Outcome.CLOSED);
        }
    }

    private static ServerSocket serve(Behaviour behaviour) throws IOException {
        ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try {
                behaviour.serve(server.accept());
            } catch (IOException e) {
                // the test closed the server
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }
}
