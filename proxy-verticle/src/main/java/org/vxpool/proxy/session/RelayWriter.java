package org.vxpool.proxy.session;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * Collects frames to forward and writes adjacent ones as one slice, so a read chunk of many
 * frames costs one write.
 */
final class RelayWriter {
    private final NetSocket out;
    private Buffer src;
    private int start;
    private int end;

    RelayWriter(NetSocket out) {
        this.out = out;
    }

    void add(Buffer source, int from, int length) {
        if (source == src && from == end) {
            end += length;
            return;
        }
        flush();
        src = source;
        start = from;
        end = from + length;
    }

    /** Writes what was collected, then {@code message}, keeping the order. */
    void write(Buffer message) {
        flush();
        out.write(message);
    }

    void flush() {
        if (src != null) {
            Buffer s = src;
            src = null;
            out.write(start == 0 && end == s.length() ? s : s.slice(start, end));
        }
    }

    NetSocket socket() {
        return out;
    }
}
