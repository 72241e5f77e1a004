package org.vxpool.proxy.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A lexer for PostgreSQL SQL, faithful enough that no keyword hidden in a comment, string,
 * dollar-quoted body or quoted identifier is ever seen as a keyword, and that {@code ;} splits
 * statements only where the server would. Public for the PGPOOL SHOW/SET/RESET grammar
 * ({@code show.PgpoolStatement}), which reads the same text.
 */
public final class SqlLexer {

    /**
     * Words handed out as these constants instead of a new lower-cased String each time: a query
     * text not seen before (inline literals defeat the classification cache) is lexed on every
     * execution, and these are most of its words.
     */
    private static final String[][] KEYWORDS_BY_LENGTH = byLength("select", "from", "where", "and", "or",
            "not", "insert", "into", "values", "update", "set", "delete", "begin", "end", "commit", "rollback",
            "with", "as", "for", "share", "order", "by", "limit", "offset", "join", "on", "in", "is", "null",
            "true", "false", "returning", "start", "transaction", "read", "only", "write", "abort", "savepoint",
            "release", "show", "explain", "analyze", "group", "having", "union", "all", "distinct", "case", "when",
            "then", "else", "lock", "nowait", "table", "current_timestamp", "now", "count", "sum", "max", "min");
    private static final String PUNCTUATION = "()[],.;:";
    private static final String[] PUNCTUATION_TEXT = PUNCTUATION.chars().mapToObj(c -> String.valueOf((char) c))
            .toArray(String[]::new);

    private final String sql;
    private final boolean standardConformingStrings;
    private final List<LexedStatement> statements = new ArrayList<>();
    private List<Token> tokens = new ArrayList<>();
    private int pos;
    private int stmtStart;
    private int depth;
    /** Inside a SQL-standard function body ({@code BEGIN ATOMIC ... END}), where {@code ;} does not split. */
    private int atomicDepth;
    private boolean commentFirst;
    private boolean whitespaceFirst;

    private SqlLexer(String sql, boolean standardConformingStrings) {
        this.sql = sql;
        this.standardConformingStrings = standardConformingStrings;
    }

    /** Splits and tokenizes {@code sql}; empty statements ({@code ;;}) are dropped. */
    public static List<LexedStatement> lex(String sql, boolean standardConformingStrings) {
        SqlLexer lexer = new SqlLexer(sql, standardConformingStrings);
        lexer.run();
        return lexer.statements;
    }

    private void run() {
        boolean unterminated = false;
        while (pos < sql.length() && !unterminated) {
            unterminated = step();
        }
        finish(sql.length(), unterminated);
    }

    /** Consumes one token or gap; true when input ended inside a quoted construct. */
    private boolean step() {
        char c = sql.charAt(pos);
        char next = pos + 1 < sql.length() ? sql.charAt(pos + 1) : '\0';
        if (Character.isWhitespace(c)) {
            if (atQueryStart()) {
                whitespaceFirst = true;
            }
            pos++;
            return false;
        }
        if (c == '-' && next == '-') {
            noteComment();
            int eol = sql.indexOf('\n', pos);
            pos = eol < 0 ? sql.length() : eol + 1;
            return false;
        }
        if (c == '/' && next == '*') {
            noteComment();
            return !skipBlockComment();
        }
        if (c == ';' && depth <= 0 && atomicDepth == 0) {
            finish(pos, false);
            pos++;
            stmtStart = pos;
            return false;
        }
        return lexToken(c, next);
    }

    private boolean lexToken(char c, char next) {
        int start = pos;
        if (c == '\'') {
            return !quoted('\'', !standardConformingStrings, start);
        }
        if (c == '"') {
            return !quotedIdentifier(start);
        }
        if (c == '$') {
            return dollar(start);
        }
        if (isIdentStart(c)) {
            return word(c, next, start);
        }
        if (Character.isDigit(c) || (c == '.' && Character.isDigit(next))) {
            number(start);
            return false;
        }
        punctOrOperator(c, next, start);
        return false;
    }

    /** pgpool looks only at the start of the whole query string, not of each statement. */
    private boolean atQueryStart() {
        return tokens.isEmpty() && statements.isEmpty();
    }

    private void noteComment() {
        if (atQueryStart()) {
            commentFirst = true;
        }
    }

    /** Block comments nest in PostgreSQL, unlike the SQL standard. */
    private boolean skipBlockComment() {
        int nesting = 0;
        while (pos < sql.length()) {
            if (sql.startsWith("/*", pos)) {
                nesting++;
                pos += 2;
            } else if (sql.startsWith("*/", pos)) {
                nesting--;
                pos += 2;
                if (nesting == 0) {
                    return true;
                }
            } else {
                pos++;
            }
        }
        return false;
    }

    /** A quoted string starting at {@code pos}; {@code ''} is a quote, and with backslashes {@code \'} too. */
    private boolean quoted(char quote, boolean backslashEscapes, int start) {
        pos++;
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (backslashEscapes && c == '\\') {
                pos += 2;
            } else if (c == quote) {
                if (pos + 1 < sql.length() && sql.charAt(pos + 1) == quote) {
                    pos += 2;
                } else {
                    pos++;
                    add(TokenType.STRING, sql.substring(start, pos), start);
                    return true;
                }
            } else {
                pos++;
            }
        }
        return false;
    }

    private boolean quotedIdentifier(int start) {
        StringBuilder name = new StringBuilder();
        pos++;
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (c == '"') {
                if (pos + 1 < sql.length() && sql.charAt(pos + 1) == '"') {
                    name.append('"');
                    pos += 2;
                } else {
                    pos++;
                    add(TokenType.QUOTED_IDENT, name.toString(), start);
                    return true;
                }
            } else {
                name.append(c);
                pos++;
            }
        }
        return false;
    }

    /** {@code $1} parameter, or a {@code $tag$ ... $tag$} string; false only when unterminated. */
    private boolean dollar(int start) {
        int i = pos + 1;
        if (i < sql.length() && Character.isDigit(sql.charAt(i))) {
            while (i < sql.length() && Character.isDigit(sql.charAt(i))) {
                i++;
            }
            pos = i;
            add(TokenType.PARAM, sql.substring(start, pos), start);
            return false;
        }
        while (i < sql.length() && isIdentPart(sql.charAt(i)) && sql.charAt(i) != '$') {
            i++;
        }
        if (i < sql.length() && sql.charAt(i) == '$') {
            String delimiter = sql.substring(start, i + 1);
            int end = sql.indexOf(delimiter, i + 1);
            if (end < 0) {
                pos = sql.length();
                return true;
            }
            pos = end + delimiter.length();
            add(TokenType.STRING, sql.substring(start, pos), start);
            return false;
        }
        pos++;
        add(TokenType.OPERATOR, "$", start);
        return false;
    }

    private boolean word(char c, char next, int start) {
        char lower = Character.toLowerCase(c);
        if (next == '\'' && (lower == 'e' || lower == 'b' || lower == 'x' || lower == 'n')) {
            pos++;
            return !quoted('\'', lower == 'e' || (lower == 'n' && !standardConformingStrings), start);
        }
        if (lower == 'u' && next == '&' && pos + 2 < sql.length()) {
            char q = sql.charAt(pos + 2);
            if (q == '\'' || q == '"') {
                pos += 2;
                return q == '\'' ? !quoted('\'', false, start) : !quotedIdentifier(start);
            }
        }
        int i = pos + 1;
        while (i < sql.length() && isIdentPart(sql.charAt(i))) {
            i++;
        }
        String text = keyword(start, i);
        if (text == null) {
            text = sql.substring(start, i).toLowerCase(Locale.ROOT);
        }
        pos = i;
        add(TokenType.WORD, text, start);
        trackAtomic(text);
        return false;
    }

    private void trackAtomic(String text) {
        int n = tokens.size();
        if (text.equals("atomic") && n >= 2 && tokens.get(n - 2).isWord("begin") && tokens.get(0).isWord("create")) {
            atomicDepth++;
        } else if (atomicDepth > 0 && text.equals("case")) {
            atomicDepth++;
        } else if (atomicDepth > 0 && text.equals("end")) {
            atomicDepth--;
        }
    }

    private void number(int start) {
        int i = pos;
        while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.'
                || sql.charAt(i) == '_'
                || ((sql.charAt(i) == '+' || sql.charAt(i) == '-') && (sql.charAt(i - 1) == 'e' || sql.charAt(i - 1) == 'E')))) {
            i++;
        }
        pos = i;
        add(TokenType.NUMBER, sql.substring(start, pos), start);
    }

    private void punctOrOperator(char c, char next, int start) {
        if (c == ':' && next == ':') {
            pos += 2;
            add(TokenType.PUNCT, "::", start);
            return;
        }
        int punct = PUNCTUATION.indexOf(c);
        if (punct >= 0) {
            pos++;
            if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
            }
            add(TokenType.PUNCT, PUNCTUATION_TEXT[punct], start);
            return;
        }
        int i = pos;
        while (i < sql.length() && "+-*/<>=~!@#%^&|`?".indexOf(sql.charAt(i)) >= 0
                && !sql.startsWith("--", i) && !sql.startsWith("/*", i)) {
            i++;
        }
        pos = Math.max(i, pos + 1);
        add(TokenType.OPERATOR, sql.substring(start, pos), start);
    }

    private void add(TokenType type, String text, int start) {
        tokens.add(new Token(type, text, start));
    }

    private void finish(int end, boolean unterminated) {
        if (!tokens.isEmpty()) {
            statements.add(new LexedStatement(tokens, sql.substring(stmtStart, end).strip(), commentFirst,
                    whitespaceFirst, unterminated));
        }
        tokens = new ArrayList<>();
        depth = 0;
        atomicDepth = 0;
        commentFirst = false;
        whitespaceFirst = false;
    }

    /**
     * The constant for {@code sql[start, end)} lower-cased, or null when it is no listed keyword.
     * Only ASCII letters are folded, which is all {@code toLowerCase(Locale.ROOT)} changes in a
     * word that equals an ASCII keyword.
     */
    private String keyword(int start, int end) {
        int len = end - start;
        if (len >= KEYWORDS_BY_LENGTH.length) {
            return null;
        }
        for (String k : KEYWORDS_BY_LENGTH[len]) {
            if (asciiLowerEquals(start, k)) {
                return k;
            }
        }
        return null;
    }

    private boolean asciiLowerEquals(int start, String lower) {
        for (int k = 0; k < lower.length(); k++) {
            char c = sql.charAt(start + k);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static String[][] byLength(String... words) {
        int max = 0;
        for (String w : words) {
            max = Math.max(max, w.length());
        }
        List<List<String>> buckets = new ArrayList<>();
        for (int n = 0; n <= max; n++) {
            buckets.add(new ArrayList<>());
        }
        for (String w : words) {
            buckets.get(w.length()).add(w);
        }
        return buckets.stream().map(b -> b.toArray(String[]::new)).toArray(String[][]::new);
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_' || c >= 0x80;
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || Character.isDigit(c) || c == '$';
    }
}
