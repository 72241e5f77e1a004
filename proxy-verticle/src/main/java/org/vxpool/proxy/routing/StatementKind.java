package org.vxpool.proxy.routing;

/** What a statement means for routing. */
public enum StatementKind {
    /** Safe on any node: SELECT, VALUES, TABLE, SHOW, EXPLAIN, COPY ... TO. */
    READ,
    /** Changes data or schema, or otherwise must run on the primary and counts as a write. */
    WRITE,
    /** Must run on the primary but writes nothing: cursors (DECLARE, FETCH, MOVE, CLOSE). */
    PRIMARY_ONLY,
    /** Session state every held backend must share: SET, RESET, DISCARD, DEALLOCATE, PREPARE of a read. */
    SESSION_SET,
    /** Transaction-scoped settings: SET LOCAL, SET TRANSACTION, SET CONSTRAINTS. Stay on the current node. */
    TX_LOCAL,
    /** BEGIN / START TRANSACTION, with its read-only and isolation flags. */
    TX_BEGIN,
    /** COMMIT, END, ROLLBACK, ABORT, PREPARE TRANSACTION. */
    TX_END,
    /** SAVEPOINT, RELEASE, ROLLBACK TO. */
    SAVEPOINT,
    /** SQL-level EXECUTE of a PREPAREd statement: routed as the statement was classified. */
    EXECUTE,
    /** A command vxpool answers itself: SHOW pool_*, PGPOOL SHOW/SET/RESET. */
    SHOW_POOL,
    /** Nothing recognisable: routed to the primary. */
    UNKNOWN
}
