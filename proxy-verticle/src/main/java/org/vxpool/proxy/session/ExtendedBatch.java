package org.vxpool.proxy.session;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.vxpool.proxy.routing.ClassifiedStatement;

/**
 * Extended-protocol frames collected up to Sync (or Flush), copied, with what routing needs: the
 * classification of each statement a Parse, Bind or Describe uses, in order.
 */
final class ExtendedBatch {
    /** One frontend frame; {@code statement} is the statement name a Bind/Describe/Close needs, else null. */
    record Item(byte type, Buffer frame, String statement) {
    }

    final List<Item> items = new ArrayList<>();
    final List<ClassifiedStatement> statements = new ArrayList<>(2);
    /** Statement names already routed by in this batch. */
    final java.util.Set<String> seen = new java.util.HashSet<>(2);

    void add(byte type, Buffer frame, String statement) {
        items.add(new Item(type, frame, statement));
    }

    /**
     * The batch as message letters for an answer vxpool makes itself; a Describe is {@code S}
     * for a statement and {@code p} for a portal, a Sync is {@code Y}.
     */
    public String codes() {
        StringBuilder sb = new StringBuilder(items.size());
        for (Item it : items) {
            char c = (char) it.type();
            if (c == 'D') {
                c = it.frame().getByte(5) == 'S' ? 'S' : 'p';
            } else if (c == 'S') {
                c = 'Y';
            }
            sb.append(c);
        }
        return sb.toString();
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    boolean endsWithSync() {
        return !items.isEmpty() && items.get(items.size() - 1).type() == org.vxpool.proxy.protocol.PgProtocol.Frontend.SYNC;
    }
}
