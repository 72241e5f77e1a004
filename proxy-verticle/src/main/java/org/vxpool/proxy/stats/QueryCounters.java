package org.vxpool.proxy.stats;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;

/**
 * Statements routed per backend node and {@link QueryKind}, over every proxy instance of a JVM.
 * The hot path pays one array index and one {@link LongAdder#increment()}: the adders exist from
 * the start, so counting never allocates, looks anything up by name or builds a label.
 */
public final class QueryCounters {
    /** pgpool-II's MAX_NUM_BACKENDS. */
    static final int MAX_NODES = 128;
    private static final QueryKind[] KINDS = QueryKind.values();

    private final LongAdder[] adders = new LongAdder[MAX_NODES * KINDS.length];

    public QueryCounters() {
        for (int i = 0; i < adders.length; i++) {
            adders[i] = new LongAdder();
        }
    }

    public void count(int node, QueryKind kind) {
        if (node >= 0 && node < MAX_NODES) {
            adders[node * KINDS.length + kind.ordinal()].increment();
        }
    }

    public long get(int node, QueryKind kind) {
        return node >= 0 && node < MAX_NODES ? adders[node * KINDS.length + kind.ordinal()].sum() : 0;
    }

    /** {@code {"0": {"read": n, "write": n, "other": n}, ...}} for nodes that saw any statement. */
    public JsonObject toJson() {
        JsonObject all = new JsonObject();
        for (int node = 0; node < MAX_NODES; node++) {
            JsonObject one = new JsonObject();
            long total = 0;
            for (QueryKind k : KINDS) {
                long n = get(node, k);
                total += n;
                one.put(k.label(), n);
            }
            if (total > 0) {
                all.put(Integer.toString(node), one);
            }
        }
        return all;
    }
}
