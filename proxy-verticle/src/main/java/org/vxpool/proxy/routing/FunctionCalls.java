package org.vxpool.proxy.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds function calls in a statement and decides whether one of them writes, by pgpool's rules:
 * names matching {@code write_function_list} write; when {@code read_only_function_list} is set
 * instead, every function not matching it writes. A few built-ins always write, or must see the
 * primary's state, whatever the lists say.
 */
final class FunctionCalls {

    /**
     * Functions that fail on a standby or whose effect must happen on the primary. currval and
     * lastval read session state left by nextval on the primary, so pgpool advises listing them too.
     */
    static final Set<String> PRIMARY_FUNCTIONS = Set.of(
            "nextval", "setval", "currval", "lastval",
            "lo_creat", "lo_create", "lo_import", "lo_unlink", "lo_put", "lo_from_bytea", "lo_truncate",
            "lo_truncate64", "lo_open", "lowrite", "lo_write",
            "pg_advisory_lock", "pg_advisory_lock_shared", "pg_advisory_xact_lock", "pg_advisory_xact_lock_shared",
            "pg_try_advisory_lock", "pg_try_advisory_lock_shared", "pg_try_advisory_xact_lock",
            "pg_try_advisory_xact_lock_shared", "pg_advisory_unlock", "pg_advisory_unlock_shared",
            "pg_advisory_unlock_all",
            "txid_current", "pg_current_xact_id", "pg_notify",
            "pg_switch_wal", "pg_create_restore_point", "pg_create_physical_replication_slot",
            "pg_create_logical_replication_slot", "pg_drop_replication_slot", "pg_copy_physical_replication_slot",
            "pg_copy_logical_replication_slot", "pg_logical_emit_message", "pg_replication_origin_create",
            "pg_replication_origin_drop", "pg_backup_start", "pg_backup_stop", "pg_start_backup", "pg_stop_backup",
            "pg_stat_reset", "pg_stat_reset_shared", "pg_stat_reset_single_table_counters",
            "pg_stat_reset_single_function_counters", "pg_stat_reset_slru", "pg_stat_reset_replication_slot",
            "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "pg_rotate_logfile", "pg_promote",
            "pg_sequence_last_value");

    /** Words that may precede "(" without being a function call: syntax, not a FuncCall node. */
    private static final Set<String> NOT_CALLS = Set.of(
            "in", "exists", "any", "some", "all", "array", "values", "as", "cast", "row", "over", "filter",
            "within", "using", "on", "not", "and", "or", "select", "from", "where", "join", "lateral", "into",
            "set", "returning", "by", "then", "else", "when", "case", "between", "like", "ilike", "similar", "is",
            "table", "with", "recursive", "materialized", "partition", "window", "sets", "cube", "rollup",
            "coalesce", "nullif", "greatest", "least", "extract", "overlay", "position", "substring", "trim",
            "treat", "normalize", "xmlelement", "xmlforest", "xmlparse", "xmlpi", "xmlroot", "xmlserialize",
            "xmlconcat", "xmlexists", "xmlattributes", "xmltable", "collation", "only", "of", "key", "do",
            "conflict", "update", "delete", "insert", "merge", "default", "unique", "primary", "check",
            "references", "foreign", "distinct", "group", "order", "having", "limit", "offset", "fetch", "for",
            "union", "intersect", "except", "to", "explain", "analyze", "analyse", "copy", "execute", "prepare",
            "if", "returns", "language", "ordinality", "nulls", "rows", "range", "groups", "preceding",
            "following", "current", "unbounded", "exclude", "ties");

    /** Words after which an identifier followed by "(" is still a call (a call can follow these, not a name). */
    private static final Set<String> CALL_CONTEXT = Set.of(
            "select", "from", "where", "and", "or", "not", "by", "then", "else", "when", "case", "on", "join",
            "lateral", "distinct", "all", "having", "returning", "values", "set", "between", "like", "ilike",
            "is", "using", "limit", "offset", "in", "any", "some", "exists", "with", "table", "only", "array",
            "row", "call", "perform", "return", "over", "filter", "within", "group", "order", "to",
            "analyze", "analyse", "explain", "verbose", "union", "intersect", "except", "fetch", "first", "next",
            "do", "escape", "similar", "collate", "at", "zone", "asc", "desc", "nulls", "last",
            "default", "check", "if", "elsif", "while", "raise", "notice");

    static final String SET_CONFIG = "set_config";

    private final List<Pattern> writeFunctions;
    private final List<Pattern> readOnlyFunctions;

    FunctionCalls(List<Pattern> writeFunctions, List<Pattern> readOnlyFunctions) {
        this.writeFunctions = List.copyOf(writeFunctions);
        this.readOnlyFunctions = List.copyOf(readOnlyFunctions);
    }

    /** The first call that makes {@code s} a write, with the reason. */
    Optional<String> firstWritingCall(LexedStatement s) {
        for (String name : calls(s)) {
            String last = name.substring(name.lastIndexOf('.') + 1);
            if (last.equals(SET_CONFIG)) {
                continue;
            }
            if (PRIMARY_FUNCTIONS.contains(last)) {
                return Optional.of(last + "() must run on the primary");
            }
            if (matchesAny(writeFunctions, name)) {
                return Optional.of(name + "() matches write_function_list");
            }
            if (!readOnlyFunctions.isEmpty() && !matchesAny(readOnlyFunctions, name)) {
                return Optional.of(name + "() is not in read_only_function_list");
            }
        }
        return Optional.empty();
    }

    /**
     * How a {@code set_config(name, value, is_local)} call in {@code s} changes settings: SESSION_SET
     * when {@code is_local} is false (every session node must follow), TX_LOCAL when it is true,
     * or null when there is no such call.
     */
    static StatementKind setConfigKind(LexedStatement s) {
        for (int i = 0; i + 1 < s.size(); i++) {
            if (s.get(i).isIdentifier() && s.get(i).text().equals(SET_CONFIG) && s.get(i + 1).isPunct("(")) {
                int close = TokenScan.matchingClose(s, i + 1);
                boolean local = close > 0 && (s.get(close - 1).isWord("true") || s.get(close - 1).text().equals("'t'")
                        || s.get(close - 1).text().equals("'true'"));
                return local ? StatementKind.TX_LOCAL : StatementKind.SESSION_SET;
            }
        }
        return null;
    }

    private static boolean matchesAny(List<Pattern> patterns, String name) {
        for (Pattern p : patterns) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Names of the functions called, schema-qualified as written ("public.f"). */
    static List<String> calls(LexedStatement s) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i + 1 < s.size(); i++) {
            Token t = s.get(i);
            if (!t.isIdentifier() || !s.get(i + 1).isPunct("(")) {
                continue;
            }
            if (t.type() == TokenType.WORD && NOT_CALLS.contains(t.text())) {
                continue;
            }
            int first = i;
            while (first >= 2 && s.get(first - 1).isPunct(".") && s.get(first - 2).isIdentifier()) {
                first -= 2;
            }
            if (!callContext(s, first - 1) || isCteColumnList(s, i + 1)) {
                continue;
            }
            StringBuilder name = new StringBuilder();
            for (int j = first; j <= i; j += 2) {
                name.append(j > first ? "." : "").append(s.get(j).text());
            }
            names.add(name.toString());
        }
        return names;
    }

    /** Whether a call may start after token {@code prev}; an alias or a type name may not. */
    private static boolean callContext(LexedStatement s, int prev) {
        if (prev < 0) {
            return true;
        }
        Token p = s.get(prev);
        return switch (p.type()) {
            case PUNCT -> p.text().equals("(") || p.text().equals(",") || p.text().equals("[");
            case OPERATOR, PARAM -> true;
            case WORD -> CALL_CONTEXT.contains(p.text());
            default -> false;
        };
    }

    /** {@code name (a, b) AS (...)}: a CTE's column list, not a call. */
    private static boolean isCteColumnList(LexedStatement s, int open) {
        int close = TokenScan.matchingClose(s, open);
        return close > 0 && s.word(close + 1).equals("as")
                && (s.get(close + 2).isPunct("(") || s.word(close + 2).equals("materialized")
                        || s.word(close + 2).equals("not"));
    }
}
