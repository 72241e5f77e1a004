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
        boolean defaultReadOnly,
        boolean defaultSerializable,
        Set<String> preparedReads,
        Set<String> preparedWrites) {

    public RoutingContext {
        writtenTables = Set.copyOf(writtenTables);
        preparedReads = Set.copyOf(preparedReads);
        preparedWrites = Set.copyOf(preparedWrites);
    }

    /** A new session with no read node chosen yet; see {@link Router#startSession}. */
    public static RoutingContext initial(String database, String applicationName) {
        return new RoutingContext(database, applicationName, -1, false, -1, false, false, false, false, Set.of(),
                false, false, Set.of(), Set.of());
    }

    public RoutingContext withLoadBalanceNode(int node) {
        return new RoutingContext(database, applicationName, node, inTransaction, transactionNode,
                transactionReadOnly, transactionWrote, wroteInTransaction, wroteInSession, writtenTables,
                defaultReadOnly, defaultSerializable, preparedReads, preparedWrites);
    }

    RoutingContext beginTransaction(int node, boolean readOnly) {
        return new RoutingContext(database, applicationName, loadBalanceNode, true, node, readOnly, false,
                wroteInTransaction, wroteInSession, Set.of(), defaultReadOnly, defaultSerializable, preparedReads,
                preparedWrites);
    }

    /** The open transaction moved to {@code node} before it was sent anywhere. */
    RoutingContext onTransactionNode(int node) {
        return new RoutingContext(database, applicationName, loadBalanceNode, inTransaction, node,
                transactionReadOnly, transactionWrote, wroteInTransaction, wroteInSession, writtenTables,
                defaultReadOnly, defaultSerializable, preparedReads, preparedWrites);
    }

    RoutingContext endTransaction() {
        return new RoutingContext(database, applicationName, loadBalanceNode, false, -1, false, false,
                wroteInTransaction || transactionWrote, wroteInSession, Set.of(), defaultReadOnly,
                defaultSerializable, preparedReads, preparedWrites);
    }

    /** After a write: marks the transaction and session, and adds the relations written. */
    RoutingContext wrote(Set<String> tables) {
        Set<String> written = writtenTables;
        if (inTransaction && !tables.isEmpty()) {
            written = new HashSet<>(writtenTables);
            written.addAll(tables);
        }
        return new RoutingContext(database, applicationName, loadBalanceNode, inTransaction, transactionNode,
                transactionReadOnly, inTransaction || transactionWrote, wroteInTransaction, true, written,
                defaultReadOnly, defaultSerializable, preparedReads, preparedWrites);
    }

    RoutingContext withDefaults(boolean readOnly, boolean serializable) {
        return new RoutingContext(database, applicationName, loadBalanceNode, inTransaction, transactionNode,
                transactionReadOnly, transactionWrote, wroteInTransaction, wroteInSession, writtenTables, readOnly,
                serializable, preparedReads, preparedWrites);
    }

    RoutingContext withPrepared(Set<String> reads, Set<String> writes) {
        return new RoutingContext(database, applicationName, loadBalanceNode, inTransaction, transactionNode,
                transactionReadOnly, transactionWrote, wroteInTransaction, wroteInSession, writtenTables,
                defaultReadOnly, defaultSerializable, reads, writes);
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
}
