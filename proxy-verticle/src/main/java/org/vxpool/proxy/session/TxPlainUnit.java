package org.vxpool.proxy.session;

import java.util.List;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.routing.ClassifiedStatement;
import org.vxpool.proxy.routing.StatementKind;

/**
 * Transaction pooling: which units may be pipelined behind other clients' ({@link TxPipeline}).
 * Only a unit that leaves nothing on the connection for the unit behind it: one plain read,
 * sent as a Query or as an extended batch that ends with its own Sync.
 */
final class TxPlainUnit {
    private TxPlainUnit() {
    }

    /** One statement, a read that leaves nothing on the connection ({@link TxPolicyScreen#plainRead}). */
    static boolean read(List<ClassifiedStatement> list) {
        if (list.size() != 1) {
            return false;
        }
        ClassifiedStatement st = list.get(0);
        if (st.kind() != StatementKind.READ && st.kind() != StatementKind.UNKNOWN) {
            return false;
        }
        // a Parse's text the screen passed already is not scanned a second time
        return TxPolicyScreen.passed(st) ? TxPolicyScreen.readFirst(st.text()) : TxPolicyScreen.plainRead(st.text());
    }

    /**
     * A batch that runs one statement and ends with its own Sync: Parse, Bind, Describe, one
     * Execute, Sync (no Close, no Flush, no redefinition of a name).
     */
    static boolean batch(ExtendedBatch b) {
        int executes = 0;
        int n = b.items.size();
        for (int i = 0; i < n; i++) {
            ExtendedBatch.Item it = b.items.get(i);
            switch (it.type()) {
                case PgProtocol.Frontend.PARSE -> {
                    if (it.statement() == null) {
                        return false;
                    }
                }
                case PgProtocol.Frontend.BIND, PgProtocol.Frontend.DESCRIBE -> {
                }
                case PgProtocol.Frontend.EXECUTE -> executes++;
                case PgProtocol.Frontend.SYNC -> {
                    if (i != n - 1) {
                        return false;
                    }
                }
                default -> {
                    return false;
                }
            }
        }
        return executes == 1 && b.items.get(n - 1).type() == PgProtocol.Frontend.SYNC;
    }
}
