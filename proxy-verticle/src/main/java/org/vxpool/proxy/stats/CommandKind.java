package org.vxpool.proxy.stats;

import io.vertx.core.buffer.Buffer;

/**
 * pgpool-II 4.3's command classes of {@code SHOW pool_backend_stats}, told from the tag of a
 * CommandComplete (B). pgpool classifies the parse tree of what it sends; vxpool reads the tag the
 * backend answers, which names the same command in all cases but a few (docs/PROXY.md lists them).
 */
public enum CommandKind {
    SELECT("select"),
    INSERT("insert"),
    UPDATE("update"),
    DELETE("delete"),
    /** pgpool's catch-all: whatever is in none of the other classes (CREATE, ALTER, DROP, GRANT, TRUNCATE, COPY, DO, CALL...). */
    DDL("ddl"),
    OTHER("other");

    /**
     * First words of the tags counted as {@link #OTHER}: pgpool's list (CHECKPOINT, DEALLOCATE,
     * DISCARD, EXECUTE, EXPLAIN, LISTEN, LOAD, LOCK, NOTIFY, PREPARE, SET, SHOW, transaction
     * commands, UNLISTEN; RESET is a SET to pgpool's parser), VACUUM and ANALYZE, which pgpool
     * 4.3.5 counts as other too though its documentation does not say so, plus two choices of
     * ours: cursor commands (DECLARE CURSOR, FETCH, MOVE, CLOSE CURSOR), which pgpool's catch-all
     * counts as DDL though they change no schema, and MERGE, which pgpool 4.3 cannot parse and
     * counts as a DELETE.
     */
    private static final String[] OTHER_WORDS = {"BEGIN", "COMMIT", "ROLLBACK", "START", "SAVEPOINT", "RELEASE", "PREPARE",
            "SET", "RESET", "SHOW", "DISCARD", "DEALLOCATE", "EXECUTE", "EXPLAIN", "LISTEN", "UNLISTEN", "NOTIFY", "LOAD",
            "LOCK", "CHECKPOINT", "VACUUM", "ANALYZE", "DECLARE", "FETCH", "MOVE", "CLOSE", "MERGE"};
    private static final CommandKind[] ALL = values();

    private final String label;

    CommandKind(String label) {
        this.label = label;
    }

    /** The Prometheus label value; {@code label + "_cnt"} is the pool_backend_stats column. */
    public String label() {
        return label;
    }

    static CommandKind of(int ordinal) {
        return ALL[ordinal];
    }

    /**
     * The class of the CommandComplete tag in bytes {@code [from, end)} of {@code b} (its closing
     * NUL may be included). Looks at the first word only and allocates nothing.
     */
    public static CommandKind ofTag(Buffer b, int from, int end) {
        if (word(b, from, end, "SELECT")) {
            return SELECT;
        }
        if (word(b, from, end, "INSERT")) {
            return INSERT;
        }
        if (word(b, from, end, "UPDATE")) {
            return UPDATE;
        }
        if (word(b, from, end, "DELETE")) {
            return DELETE;
        }
        for (String w : OTHER_WORDS) {
            if (word(b, from, end, w)) {
                return OTHER;
            }
        }
        return DDL;
    }

    /** Whether the bytes at {@code from} are {@code w} followed by a space, a NUL or the end. */
    private static boolean word(Buffer b, int from, int end, String w) {
        int n = w.length();
        if (end - from < n) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (b.getByte(from + k) != w.charAt(k)) {
                return false;
            }
        }
        if (from + n == end) {
            return true;
        }
        byte next = b.getByte(from + n);
        return next == ' ' || next == 0;
    }
}
