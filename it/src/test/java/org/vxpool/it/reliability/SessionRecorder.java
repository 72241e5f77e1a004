package org.vxpool.it.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback relay in front of vxpool that records what real clients send: the fuzzer's corpus
 * is made of the bytes a JDBC driver really wrote (start-up, authentication, simple and extended
 * query, COPY), not of hand-written frames.
 */
final class SessionRecorder implements AutoCloseable {
    /** A client action whose connections are recorded (throws whatever the client throws). */
    interface ClientAction {
        void run(int port) throws Exception;
    }

    private final int target;
    private final ServerSocket server;
    private final List<ByteArrayOutputStream> sessions = new ArrayList<>();
    private final List<Thread> pumps = new ArrayList<>();

    SessionRecorder(int targetPort) throws IOException {
        this.target = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "recorder-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Runs {@code action} against the relay; returns the client-to-server bytes of each connection it opened. */
    List<byte[]> record(ClientAction action) throws Exception {
        int before;
        synchronized (sessions) {
            before = sessions.size();
        }
        action.run(server.getLocalPort());
        List<Thread> running;
        synchronized (sessions) {
            running = List.copyOf(pumps);
        }
        for (Thread t : running) {
            t.join(10_000);
        }
        synchronized (sessions) {
            List<byte[]> out = new ArrayList<>();
            for (ByteArrayOutputStream s : sessions.subList(before, sessions.size())) {
                out.add(s.toByteArray());
            }
            return out;
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                ByteArrayOutputStream recording = new ByteArrayOutputStream();
                synchronized (sessions) {
                    sessions.add(recording);
                    pumps.add(pump(client, upstream, recording));
                    pumps.add(pump(upstream, client, null));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private static Thread pump(Socket from, Socket to, ByteArrayOutputStream recording) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (recording != null) {
                        synchronized (recording) {
                            recording.write(buf, 0, n);
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side went away: the session is over
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "recorder-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
