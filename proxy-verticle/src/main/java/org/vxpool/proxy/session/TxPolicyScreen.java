package org.vxpool.proxy.session;

import org.vxpool.proxy.routing.ClassifiedStatement;
import org.vxpool.proxy.routing.SqlClassifier;
import org.vxpool.proxy.routing.StatementKind;

/**
 * Transaction pooling: a look at a simple Query's text, without lexing it, that proves
 * {@link TxStatementPolicy} has nothing to say about it. A session that does not balance sends
 * every statement to the primary, so such a query needs no classification at all (in TPC-B's
 * simple mode, lexing each statement's new literals was the biggest item of the proxy's Java time).
 * It errs one way only: whatever it is unsure of goes the full way.
 */
final class TxPolicyScreen {
    /**
     * First words of statements the policy passes whatever follows them (CREATE, SET, RESET,
     * DISCARD, DEALLOCATE, PREPARE, DECLARE, LISTEN, LOAD and SHOW are looked at in full).
     */
    private static final String[] PLAIN_FIRST_WORDS = {"select", "insert", "update", "delete",
            "begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release", "values"};
    private static final int LONGEST_FIRST_WORD = 9;

    /** The reason of the statements {@link #screened} makes: this instance, never an equal copy. */
    private static final String SCREENED = "not classified: no load balancing";

    private TxPolicyScreen() {
    }

    /** A text {@link #plain} has passed, as a statement that was not classified. */
    static ClassifiedStatement screened(String sql) {
        return ClassifiedStatement.of(StatementKind.UNKNOWN, SCREENED, sql);
    }

    /**
     * Whether {@code st} was made by {@link #screened}, so its text is known to be {@link #plain}
     * (compared by identity: a statement the classifier made never takes this shortcut).
     */
    static boolean passed(ClassifiedStatement st) {
        return st.reason() == SCREENED;
    }

    /**
     * A {@link #plain} statement that starts with {@code SELECT} or {@code VALUES}: it leaves no
     * session state on the connection (the screen rules out set_config, advisory locks and
     * temporary tables), so another client's unit may be pipelined behind it.
     */
    static boolean plainRead(String sql) {
        return readFirst(sql) && plain(sql);
    }

    /** The first word is {@code SELECT} or {@code VALUES} (for a text {@link #plain} has passed). */
    static boolean readFirst(String sql) {
        int start = 0;
        while (start < sql.length() && Character.isWhitespace(sql.charAt(start))) {
            start++;
        }
        return (at(sql, start, "select") || at(sql, start, "values"))
                && (start + 6 == sql.length() || !isAsciiLetter(sql.charAt(start + 6)));
    }

    /**
     * Whether {@code sql} is one statement starting with a plain first word, and mentions none of
     * what the policy looks for anywhere else: {@code set_config} (a session SET in a SELECT),
     * advisory locks, {@code temp} (SELECT INTO TEMP), or a Unicode escape ({@code U&}) that could
     * spell any of those. Texts with non-ASCII characters go the full way too, so that comparing
     * ASCII letters without case is exact.
     */
    static boolean plain(String sql) {
        int n = sql.length();
        int start = 0;
        while (start < n && Character.isWhitespace(sql.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < n && end - start <= LONGEST_FIRST_WORD && isAsciiLetter(sql.charAt(end))) {
            end++;
        }
        if (end == start || end - start > LONGEST_FIRST_WORD || !plainFirstWord(sql, start, end)) {
            return false;
        }
        for (int i = end; i < n; i++) {
            char c = sql.charAt(i);
            if (c > 127) {
                return false;
            }
            switch (c) {
                case ';' -> {
                    if (!SqlClassifier.onlyTrailing(sql, i)) {
                        return false;
                    }
                }
                case 's', 'S' -> {
                    if (at(sql, i, "set_config")) {
                        return false;
                    }
                }
                case 'a', 'A' -> {
                    if (at(sql, i, "advisory")) {
                        return false;
                    }
                }
                case 't', 'T' -> {
                    if (at(sql, i, "temp")) {
                        return false;
                    }
                }
                case '&' -> {
                    return false;
                }
                default -> {
                }
            }
        }
        return true;
    }

    /** Whether {@code word} (lower case ASCII) starts at {@code i}, ignoring the case of ASCII letters. */
    private static boolean at(String s, int i, String word) {
        if (i + word.length() > s.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            char c = s.charAt(i + k);
            char w = word.charAt(k);
            if (c != w && !(w >= 'a' && w <= 'z' && c == w - 32)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /**
     * Whether {@code s[from..to)} (ASCII letters) is one of the plain first words, in any case.
     * Compared in place: a lower-cased copy and a set look-up per statement showed in profiles.
     */
    private static boolean plainFirstWord(String s, int from, int to) {
        int len = to - from;
        for (String w : PLAIN_FIRST_WORDS) {
            if (w.length() == len && at(s, from, w)) {
                return true;
            }
        }
        return false;
    }
}
