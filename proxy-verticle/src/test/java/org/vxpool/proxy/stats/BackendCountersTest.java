package org.vxpool.proxy.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.proxy.protocol.MessageBuilder;
import org.vxpool.proxy.protocol.PgProtocol;

/** The tag and severity tables of SHOW pool_backend_stats, on frames as PostgreSQL sends them. */
class BackendCountersTest {

    /** Every tag PostgreSQL 15 answers for the statement on the left, with its class. */
    private static final Map<String, CommandKind> TAGS = new LinkedHashMap<>();

    static {
        TAGS.put("SELECT 1", CommandKind.SELECT);
        TAGS.put("SELECT 0", CommandKind.SELECT); // also CREATE TABLE AS and SELECT INTO: the tag does not tell
        TAGS.put("INSERT 0 3", CommandKind.INSERT);
        TAGS.put("UPDATE 2", CommandKind.UPDATE);
        TAGS.put("DELETE 0", CommandKind.DELETE);
        TAGS.put("MERGE 1", CommandKind.OTHER);
        TAGS.put("FETCH 10", CommandKind.OTHER);
        TAGS.put("MOVE 5", CommandKind.OTHER);
        TAGS.put("DECLARE CURSOR", CommandKind.OTHER);
        TAGS.put("CLOSE CURSOR", CommandKind.OTHER);
        TAGS.put("CLOSE CURSOR ALL", CommandKind.OTHER);
        for (String t : new String[] {"BEGIN", "START TRANSACTION", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE",
                "PREPARE TRANSACTION", "COMMIT PREPARED", "ROLLBACK PREPARED", "SET", "SET CONSTRAINTS", "RESET", "SHOW",
                "DISCARD ALL", "DISCARD PLANS", "DEALLOCATE", "DEALLOCATE ALL", "PREPARE", "EXPLAIN", "LISTEN", "UNLISTEN",
                "NOTIFY", "LOAD", "LOCK TABLE", "CHECKPOINT", "VACUUM", "ANALYZE"}) {
            TAGS.put(t, CommandKind.OTHER);
        }
        for (String t : new String[] {"CREATE TABLE", "CREATE INDEX", "ALTER TABLE", "DROP TABLE", "GRANT", "REVOKE",
                "TRUNCATE TABLE", "COMMENT", "COPY 3", "CLUSTER", "REINDEX", "REFRESH MATERIALIZED VIEW",
                "DO", "CALL", "CREATE FUNCTION", "SECURITY LABEL", "IMPORT FOREIGN SCHEMA", "CREATE ROLE", "ALTER SYSTEM"}) {
            TAGS.put(t, CommandKind.DDL);
        }
        // first words that only look like a listed one
        TAGS.put("SETTLE", CommandKind.DDL);
        TAGS.put("DOMAIN", CommandKind.DDL);
        TAGS.put("", CommandKind.DDL);
    }

    @Test
    void commandCompleteTagsFallIntoPgpoolsClasses() {
        for (Map.Entry<String, CommandKind> e : TAGS.entrySet()) {
            Buffer frame = commandComplete(e.getKey());
            assertThat(CommandKind.ofTag(frame, 5, frame.length())).as(e.getKey()).isEqualTo(e.getValue());
            // without the closing NUL, and at an offset inside a bigger read
            Buffer read = Buffer.buffer("xyz").appendBuffer(frame).appendString("DataRow...");
            assertThat(CommandKind.ofTag(read, 8, 8 + frame.length() - 6)).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void severityComesFromTheNonLocalizedFieldThenTheLocalizedOne() {
        Buffer f = fields('S', "FEHLER", 'V', "PANIC", 'C', "XX000");
        assertThat(severity(f)).isEqualTo(ErrorSeverity.PANIC);
        f = fields('S', "FATAL", 'V', "FATAL", 'C', "57P01", 'M', "terminating connection");
        assertThat(severity(f)).isEqualTo(ErrorSeverity.FATAL);
        f = fields('S', "ERROR", 'V', "ERROR", 'C', "42P01");
        assertThat(severity(f)).isEqualTo(ErrorSeverity.ERROR);
        // PostgreSQL before 9.6: no V
        f = fields('S', "FATAL", 'C', "28P01");
        assertThat(severity(f)).isEqualTo(ErrorSeverity.FATAL);
        f = fields('C', "XX000", 'S', "PANIC");
        assertThat(severity(f)).isEqualTo(ErrorSeverity.PANIC);
        // a localized S alone, or no severity at all: counted as an error
        f = fields('S', "FEHLER", 'C', "42P01");
        assertThat(severity(f)).isEqualTo(ErrorSeverity.ERROR);
        assertThat(severity(Buffer.buffer(new byte[] {0}))).isEqualTo(ErrorSeverity.ERROR);
        // a V that is only a prefix of a severity is not one
        f = fields('V', "FATALITY", 'S', "FATAL");
        assertThat(severity(f)).isEqualTo(ErrorSeverity.ERROR);
    }

    @Test
    void countsPerNodeInPgpoolsColumnOrderAndKeepsRetiredCounts() {
        BackendCounters a = new BackendCounters();
        Buffer select = commandComplete("SELECT 1");
        a.commandComplete(1, select, 0, select.length());
        a.commandComplete(1, select, 0, select.length());
        Buffer create = commandComplete("CREATE TABLE");
        a.commandComplete(0, create, 0, create.length());
        a.errorResponse(1, errorResponse("FATAL"));
        a.errorResponse(0, errorResponse("ERROR"));
        a.commandComplete(-1, select, 0, select.length());
        a.commandComplete(QueryCounters.MAX_NODES, select, 0, select.length());

        long[] node1 = new long[BackendCounters.SLOTS];
        a.addTo(1, node1);
        assertThat(node1).containsExactly(2, 0, 0, 0, 0, 0, 0, 1, 0);
        long[] node0 = new long[BackendCounters.SLOTS];
        a.addTo(0, node0);
        assertThat(node0).containsExactly(0, 0, 0, 0, 1, 0, 0, 0, 1);
        assertThat(a.nodesSeen()).isEqualTo(2);

        BackendCounters total = new BackendCounters();
        total.absorb(a);
        total.absorb(a);
        long[] sum = new long[BackendCounters.SLOTS];
        total.addTo(1, sum);
        assertThat(sum).containsExactly(4, 0, 0, 0, 0, 0, 0, 2, 0);
        assertThat(new BackendCounters().nodesSeen()).isZero();
        String[] labels = new String[BackendCounters.SLOTS];
        for (int k = 0; k < labels.length; k++) {
            labels[k] = BackendCounters.label(k) + (BackendCounters.isCommand(k) ? "" : "!");
        }
        assertThat(labels).containsExactly("select", "insert", "update", "delete", "ddl", "other", "panic!", "fatal!", "error!");
    }

    private static Buffer commandComplete(String tag) {
        return MessageBuilder.typed(PgProtocol.Backend.COMMAND_COMPLETE).cstring(tag).build();
    }

    private static ErrorResponse errorResponse(String severity) {
        return ErrorResponse.decode(fields('S', severity, 'V', severity, 'C', "XX000", 'M', "boom"));
    }

    /** The class of an ErrorResponse with these fields, decoded as the relays decode it. */
    private static ErrorSeverity severity(Buffer fields) {
        return ErrorSeverity.of(ErrorResponse.decode(fields));
    }

    /** ErrorResponse fields (code, value)..., with the closing NUL. */
    private static Buffer fields(Object... codeAndValue) {
        Buffer b = Buffer.buffer();
        for (int i = 0; i < codeAndValue.length; i += 2) {
            b.appendByte((byte) (char) (Character) codeAndValue[i]).appendString((String) codeAndValue[i + 1]).appendByte((byte) 0);
        }
        return b.appendByte((byte) 0);
    }
}
