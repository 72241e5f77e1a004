package org.vxpool.proxy.routing;

import java.util.Set;

/**
 * The classifier's verdict on one statement.
 *
 * @param reason why it routes as it does, for logs ("nextval()", "SELECT ... FOR UPDATE")
 * @param text the statement's source text
 * @param commentFirst a comment precedes the query (pgpool's {@code allow_sql_comments})
 * @param whitespaceFirst white space precedes the query ({@code ignore_leading_white_space})
 * @param access TX_BEGIN / TX_LOCAL: the transaction's access mode; SESSION_SET: a new session
 *               default ({@code default_transaction_read_only}, {@code SET SESSION CHARACTERISTICS})
 * @param isolation likewise for the isolation level
 * @param chain {@code COMMIT/ROLLBACK AND CHAIN}: a new transaction starts at once
 * @param prepared what happens to SQL-level prepared statements
 * @param name PREPARE / EXECUTE / DEALLOCATE: the statement name; SHOW_POOL: the command
 *             ({@code pool_nodes}, {@code pgpool show})
 * @param systemCatalog reads a {@code pg_catalog} or {@code information_schema} relation
 * @param temporary WRITE: creates the temporary objects named in {@code writtenTables};
 *                  SESSION_SET: drops every temporary object ({@code DISCARD TEMP/ALL})
 * @param writtenTables relations the statement writes (lower-cased unless quoted, schema kept)
 * @param readTables relations named after FROM / JOIN / TABLE
 */
public record ClassifiedStatement(
        StatementKind kind,
        String reason,
        String text,
        boolean commentFirst,
        boolean whitespaceFirst,
        TxAccess access,
        Isolation isolation,
        boolean chain,
        PreparedOp prepared,
        String name,
        boolean systemCatalog,
        boolean temporary,
        Set<String> writtenTables,
        Set<String> readTables) {

    public ClassifiedStatement {
        writtenTables = Set.copyOf(writtenTables);
        readTables = Set.copyOf(readTables);
    }

    public boolean isRead() {
        return kind == StatementKind.READ;
    }

    public boolean isWrite() {
        return kind == StatementKind.WRITE;
    }

    /** The same verdict for another text of the same {@link LiteralShape}. */
    ClassifiedStatement withText(String other) {
        return new ClassifiedStatement(kind, reason, other, commentFirst, whitespaceFirst, access, isolation, chain,
                prepared, name, systemCatalog, temporary, writtenTables, readTables);
    }

    /** A statement of {@code kind} with nothing else known, e.g. for a Parse the session could not read. */
    public static ClassifiedStatement of(StatementKind kind, String reason, String text) {
        return new ClassifiedStatement(kind, reason, text, false, false, TxAccess.UNSPECIFIED, Isolation.UNSPECIFIED,
                false, PreparedOp.NONE, "", false, false, Set.of(), Set.of());
    }
}
