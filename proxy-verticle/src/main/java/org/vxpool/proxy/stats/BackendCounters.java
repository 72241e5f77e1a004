package org.vxpool.proxy.stats;

import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicLongArray;
import org.vxpool.proxy.protocol.ErrorResponse;

/**
 * {@code SHOW pool_backend_stats}' counts for one proxy instance (one event loop): per backend
 * node, the CommandCompletes by {@link CommandKind} and the ErrorResponses by
 * {@link ErrorSeverity} that its relays saw. Only that event loop writes, so an increment is a
 * plain read and an opaque write (no CAS, no fence on x86, no lost update); SHOW and the metrics
 * read from any thread and sum the instances ({@code ProxyRuntime.backendCounts}).
 */
public final class BackendCounters {
    static final int KINDS = CommandKind.values().length;
    /** Per node: the command kinds, then the severities, in pool_backend_stats' column order. */
    public static final int SLOTS = KINDS + ErrorSeverity.values().length;

    private final AtomicLongArray counts = new AtomicLongArray(QueryCounters.MAX_NODES * SLOTS);

    /**
     * A CommandComplete (B) frame at {@code [start, start + length)} of {@code frame}, type byte
     * and length word included, from {@code node}.
     */
    public void commandComplete(int node, Buffer frame, int start, int length) {
        bump(node, CommandKind.ofTag(frame, start + 5, start + length).ordinal());
    }

    /** An ErrorResponse (B) from {@code node}, as the relay decoded it. */
    public void errorResponse(int node, ErrorResponse e) {
        bump(node, KINDS + ErrorSeverity.of(e).ordinal());
    }

    private void bump(int node, int slot) {
        if (node >= 0 && node < QueryCounters.MAX_NODES) {
            int i = node * SLOTS + slot;
            counts.setOpaque(i, counts.getPlain(i) + 1);
        }
    }

    /** Adds this instance's counts of {@code node} to {@code into} ({@link #SLOTS} values). */
    public void addTo(int node, long[] into) {
        if (node >= 0 && node < QueryCounters.MAX_NODES) {
            for (int k = 0; k < SLOTS; k++) {
                into[k] += counts.getOpaque(node * SLOTS + k);
            }
        }
    }

    /** Adds every count of {@code other} to this one; only under the owner's lock (a stopped instance's counts kept). */
    public void absorb(BackendCounters other) {
        for (int i = 0; i < counts.length(); i++) {
            long n = other.counts.getOpaque(i);
            if (n != 0) {
                counts.setOpaque(i, counts.getPlain(i) + n);
            }
        }
    }

    /** One more than the highest node id with any count here; 0 when none. */
    public int nodesSeen() {
        for (int i = counts.length() - 1; i >= 0; i--) {
            if (counts.getOpaque(i) != 0) {
                return i / SLOTS + 1;
            }
        }
        return 0;
    }

    /** The label of a slot of {@link #addTo}: a {@link CommandKind}'s, then an {@link ErrorSeverity}'s. */
    public static String label(int slot) {
        return slot < KINDS ? CommandKind.of(slot).label() : ErrorSeverity.of(slot - KINDS).label();
    }

    /** Whether a slot counts commands (else errors). */
    public static boolean isCommand(int slot) {
        return slot < KINDS;
    }
}
