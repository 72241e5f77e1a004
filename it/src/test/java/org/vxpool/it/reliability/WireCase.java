package org.vxpool.it.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Random;

/**
 * Sends one fuzz case on a raw socket and watches how the connection ends. After the bytes (in
 * one to three writes), the client waits for the server while it keeps talking; once the server
 * has been quiet for {@code quietMillis} the client half-closes, and from then on the server must
 * close within {@code closeMillis} — a server that neither answers nor closes is a hang.
 */
final class WireCase {
    /** How a case ended, seen from the client. */
    enum Outcome {
        /** The server sent an ErrorResponse and closed. */
        ERROR_AND_CLOSED,
        /** The server closed (or reset) without an ErrorResponse we could see. */
        CLOSED,
        /** The server neither closed nor stopped talking within the limits. */
        HUNG
    }

    record Result(Outcome outcome, long millis, int received) {
    }

    private WireCase() {
    }

    static Result run(int port, byte[] bytes, Random split, int quietMillis, int closeMillis) throws IOException {
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.setSoLinger(true, 0);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            ResponseScan scan = new ResponseScan();
            if (!send(s, bytes, split)) {
                drain(s, scan, closeMillis);
                return result(scan.sawError ? Outcome.ERROR_AND_CLOSED : Outcome.CLOSED, t0, scan);
            }
            long hardDeadline = System.nanoTime() + 30_000_000_000L;
            s.setSoTimeout(quietMillis);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[16384];
            while (System.nanoTime() < hardDeadline) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException quiet) {
                    break;
                } catch (IOException reset) {
                    return result(scan.sawError ? Outcome.ERROR_AND_CLOSED : Outcome.CLOSED, t0, scan);
                }
                if (n < 0) {
                    return result(scan.sawError ? Outcome.ERROR_AND_CLOSED : Outcome.CLOSED, t0, scan);
                }
                scan.feed(buf, n);
            }
            s.shutdownOutput();
            boolean closed = drain(s, scan, closeMillis);
            Outcome o = !closed ? Outcome.HUNG : scan.sawError ? Outcome.ERROR_AND_CLOSED : Outcome.CLOSED;
            return result(o, t0, scan);
        }
    }

    private static Result result(Outcome o, long t0, ResponseScan scan) {
        return new Result(o, (System.nanoTime() - t0) / 1_000_000, scan.total);
    }

    /** Writes in one to three pieces; false when the server already closed. */
    private static boolean send(Socket s, byte[] bytes, Random split) {
        try {
            OutputStream out = s.getOutputStream();
            int pos = 0;
            for (int pieces = 1 + split.nextInt(3); pieces > 0 && pos < bytes.length; pieces--) {
                int len = pieces == 1 ? bytes.length - pos : split.nextInt(bytes.length - pos + 1);
                out.write(bytes, pos, len);
                out.flush();
                pos += len;
            }
            return true;
        } catch (IOException closedEarly) {
            return false;
        }
    }

    /** Reads until end of stream; false if it did not come within {@code millis}. */
    private static boolean drain(Socket s, ResponseScan scan, int millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        byte[] buf = new byte[16384];
        try {
            InputStream in = s.getInputStream();
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                s.setSoTimeout((int) left);
                int n = in.read(buf);
                if (n < 0) {
                    return true;
                }
                scan.feed(buf, n);
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Follows the backend's typed frames to notice an ErrorResponse. A single 'N'/'S' byte
     * (the answer to SSLRequest) is skipped when it is the first thing received.
     */
    private static final class ResponseScan {
        private final byte[] header = new byte[5];
        private int headerFill;
        private long skip;
        int total;
        boolean sawError;

        void feed(byte[] b, int n) {
            int i = 0;
            if (total == 0 && n > 0 && (b[0] == 'N' || b[0] == 'S') && (n == 1 || b[1] == 'E' || b[1] == 'R')) {
                i = 1;
            }
            total += n;
            while (i < n) {
                if (skip > 0) {
                    int k = (int) Math.min(skip, n - i);
                    skip -= k;
                    i += k;
                    continue;
                }
                header[headerFill++] = b[i++];
                if (headerFill == 5) {
                    headerFill = 0;
                    sawError |= header[0] == 'E';
                    long len = ((header[1] & 0xffL) << 24) | ((header[2] & 0xff) << 16) | ((header[3] & 0xff) << 8)
                            | (header[4] & 0xff);
                    skip = Math.max(0, len - 4);
                }
            }
        }
    }
}
