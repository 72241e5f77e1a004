package org.vxpool.proxy.routing;

import java.util.HashSet;
import java.util.Set;

/**
 * What the router needs to know about one client session. Immutable: the router returns the next
 * context in its {@link RouteDecision}, and the session keeps it.
 *
 * @param loadBalanceNode the session's read node, or -1 until one is chosen
 * @param transactionNode where the open explicit transaction runs, or -1
 * @param transactionWrote a write ran in the open transaction
 * @param wroteInTransaction some explicit transaction of this session wrote ({@code trans_transaction})
 * @param wroteInSession any statement of this session wrote ({@code always})
 * @param writtenTables relations written in the open transaction ({@code dml_adaptive})
 * @param temporaryTables temporary relations the session created: they exist on the primary only
 * @param defaultReadOnly {@code default_transaction_read_only} is on for the session
 * @param defaultSerializable {@code default_transaction_isolation} is serializable
 * @param preparedReads SQL-level prepared statements that read: prepared on every session node
 * @param preparedWrites SQL-level prepared statements that write: prepared on the primary only
 */
public record RoutingContext(
        String database,
        String applicationName,
        int loadBalanceNode,
        boolean inTransaction,
        int transactionNode,
        boolean transactionReadOnly,
        boolean transactionWrote,
        boolean wroteInTransaction,
        boolean wroteInSession,
        Set<String> writtenTables,
        Set<String> temporaryTables,
        boolean defaultReadOnly,
        boolean defaultSerializable,
        Set<String> preparedReads,
        Set<String> preparedWrites) {

    public RoutingContext {
        writtenTables = Set.copyOf(writtenTables);
        temporaryTables = Set.copyOf(temporaryTables);
        preparedReads = Set.copyOf(preparedReads);
        preparedWrites = Set.copyOf(preparedWrites);
    }

    /** A new session with no read node chosen yet; see {@link Router#startSession}. */
    public static RoutingContext initial(String database, String applicationName) {
        return new RoutingContext(database, applicationName, -1, false, -1, false, false, false, false, Set.of(),
                Set.of(), false, false, Set.of(), Set.of());
    }

    public RoutingContext withLoadBalanceNode(int node) {
        Editor e = edit();
        e.loadBalanceNode = node;
        return e.done();
    }

    RoutingContext beginTransaction(int node, boolean readOnly) {
        Editor e = edit();
        e.inTransaction = true;
        e.transactionNode = node;
        e.transactionReadOnly = readOnly;
        e.transactionWrote = false;
        e.writtenTables = Set.of();
        return e.done();
    }

    /** The open transaction moved to {@code node} before it was sent anywhere. */
    RoutingContext onTransactionNode(int node) {
        Editor e = edit();
        e.transactionNode = node;
        return e.done();
    }

    RoutingContext endTransaction() {
        Editor e = edit();
        e.inTransaction = false;
        e.transactionNode = -1;
        e.transactionReadOnly = false;
        e.transactionWrote = false;
        e.wroteInTransaction = wroteInTransaction || transactionWrote;
        e.writtenTables = Set.of();
        return e.done();
    }

    /** After a write: marks the transaction and session, and adds the relations written. */
    RoutingContext wrote(Set<String> tables) {
        Editor e = edit();
        if (inTransaction && !tables.isEmpty()) {
            e.writtenTables = union(writtenTables, tables);
        }
        e.transactionWrote = inTransaction;
        e.wroteInSession = true;
        return e.done();
    }

    RoutingContext withTemporaryTables(Set<String> tables) {
        Editor e = edit();
        e.temporaryTables = tables;
        return e.done();
    }

    RoutingContext withDefaults(boolean readOnly, boolean serializable) {
        Editor e = edit();
        e.defaultReadOnly = readOnly;
        e.defaultSerializable = serializable;
        return e.done();
    }

    RoutingContext withPrepared(Set<String> reads, Set<String> writes) {
        Editor e = edit();
        e.preparedReads = reads;
        e.preparedWrites = writes;
        return e.done();
    }

    /**
     * Brings the transaction state in line with a backend's ReadyForQuery, which is the truth when
     * the SQL said otherwise (a failed COMMIT, a transaction opened inside a function).
     *
     * @param status 'I' idle, 'T' in a transaction, 'E' in a failed transaction
     * @param node the node that sent the ReadyForQuery
     */
    public RoutingContext syncTransactionStatus(char status, int node) {
        if (status == 'I' && inTransaction) {
            return endTransaction();
        }
        if ((status == 'T' || status == 'E') && !inTransaction) {
            return beginTransaction(node, false);
        }
        return this;
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }

    private Editor edit() {
        return new Editor(this);
    }

    /** A copy being changed field by field, so each change names only what it changes. */
    private static final class Editor {
        private final String database;
        private final String applicationName;
        int loadBalanceNode;
        boolean inTransaction;
        int transactionNode;
        boolean transactionReadOnly;
        boolean transactionWrote;
        boolean wroteInTransaction;
        boolean wroteInSession;
        Set<String> writtenTables;
        Set<String> temporaryTables;
        boolean defaultReadOnly;
        boolean defaultSerializable;
        Set<String> preparedReads;
        Set<String> preparedWrites;

        Editor(RoutingContext c) {
            database = c.database;
            applicationName = c.applicationName;
            loadBalanceNode = c.loadBalanceNode;
            inTransaction = c.inTransaction;
            transactionNode = c.transactionNode;
            transactionReadOnly = c.transactionReadOnly;
            transactionWrote = c.transactionWrote;
            wroteInTransaction = c.wroteInTransaction;
            wroteInSession = c.wroteInSession;
            writtenTables = c.writtenTables;
            temporaryTables = c.temporaryTables;
            defaultReadOnly = c.defaultReadOnly;
            defaultSerializable = c.defaultSerializable;
            preparedReads = c.preparedReads;
            preparedWrites = c.preparedWrites;
        }

        RoutingContext done() {
            return new RoutingContext(database, applicationName, loadBalanceNode, inTransaction, transactionNode,
                    transactionReadOnly, transactionWrote, wroteInTransaction, wroteInSession, writtenTables,
                    temporaryTables, defaultReadOnly, defaultSerializable, preparedReads, preparedWrites);
        }
    }
}
