package org.vxpool.proxy.routing;

/**
 * A cache key under which single queries that differ only in their numeric literals share one
 * classification: {@code ... WHERE aid = 4711} and {@code ... WHERE aid = 12} both become
 * {@code ... WHERE aid = 0}. Simple-protocol clients with inline literals (pgbench {@code -M simple})
 * send a new text with every query, so an exact-text cache never hits and each one was lexed.
 *
 * <p>Why numbers can be ignored: two texts of one shape lex to the same tokens, except that a
 * NUMBER token's digits differ, and only EXPLAIN's options and SET/BEGIN values look at a number's
 * digits. So shapes are made only for texts starting with SELECT, WITH, VALUES, TABLE, INSERT,
 * UPDATE or DELETE, which contain none of those. One pass over the characters decides; it errs one way only: whatever it
 * is unsure of ({@code null}) is classified in full, as before.
 * <ul>
 *   <li>strings and quoted identifiers are kept verbatim, since their text can matter
 *       ({@code set_config(..., 't')}, a table named {@code "1"});</li>
 *   <li>no shape for comments, dollar quoting, backslashes (escape strings), non-ASCII characters
 *       (identifier letters), an unterminated quote, or more than one statement;</li>
 *   <li>no shape when the text has no number at all: the exact text is then as good a key.</li>
 * </ul>
 * The statement's own text still differs between texts of a shape: see {@link Shape#end}.
 */
final class LiteralShape {

    /**
     * @param key the text with every numeric literal's digits replaced by one {@code 0}
     * @param end where the text's only statement ends: the offset of its {@code ;}, or the length
     */
    record Shape(String key, int end) {
    }

    /** Statements whose classification reads no number's digits (EXPLAIN, SET, BEGIN do). */
    private static final String[] QUERY_WORDS = {"select", "with", "values", "table", "insert", "update", "delete"};

    private LiteralShape() {
    }

    /** The shape of {@code sql}, or null when it must be classified by its exact text. */
    static Shape of(String sql) {
        int n = sql.length();
        int first = 0;
        while (first < n && Character.isWhitespace(sql.charAt(first))) {
            first++;
        }
        if (!startsWithQueryWord(sql, first)) {
            return null;
        }
        StringBuilder key = new StringBuilder(n);
        boolean replaced = false;
        int depth = 0;
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            char next = i + 1 < n ? sql.charAt(i + 1) : '\0';
            if (c > 127 || c == '\\' || (c == '-' && next == '-') || (c == '/' && next == '*')
                    || (c == '$' && !isDigit(next))) {
                return null;
            }
            if (c == '\'' || c == '"') {
                // '' and "" inside are a closing and an opening quote here: still copied verbatim
                int close = closingQuote(sql, i);
                if (close < 0) {
                    return null;
                }
                key.append(sql, i, close + 1);
                i = close + 1;
            } else if (c == ';') {
                // the lexer splits at a ; outside brackets; anything but more ; and blanks is a statement
                if (depth != 0 || !SqlClassifier.onlyTrailing(sql, i)) {
                    return null;
                }
                return replaced ? new Shape(key.append(sql, i, n).toString(), i) : null;
            } else if (isDigit(c) && (i == 0 || !isIdentPart(sql.charAt(i - 1)))) {
                // a number starts here (or goes on after '.', 'e+'): a digit after a letter, '_'
                // or '$' belongs to a name or a parameter ($1) and stays
                while (i < n && isDigit(sql.charAt(i))) {
                    i++;
                }
                key.append('0');
                replaced = true;
            } else {
                if (c == '(' || c == '[') {
                    depth++;
                } else if (c == ')' || c == ']') {
                    depth--;
                }
                key.append(c);
                i++;
            }
        }
        return replaced ? new Shape(key.toString(), n) : null;
    }

    /** The quote closing the one at {@code open}, or -1 also when a backslash may escape one (E'...'). */
    private static int closingQuote(String sql, int open) {
        char quote = sql.charAt(open);
        for (int j = open + 1; j < sql.length(); j++) {
            char c = sql.charAt(j);
            if (c == quote) {
                return j;
            }
            if (c == '\\') {
                return -1;
            }
        }
        return -1;
    }

    private static boolean startsWithQueryWord(String sql, int from) {
        for (String w : QUERY_WORDS) {
            if (sql.regionMatches(true, from, w, 0, w.length())
                    && (from + w.length() == sql.length() || !isIdentPart(sql.charAt(from + w.length())))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** ASCII only: texts with other characters have no shape. */
    private static boolean isIdentPart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '$' || c > 127;
    }
}
