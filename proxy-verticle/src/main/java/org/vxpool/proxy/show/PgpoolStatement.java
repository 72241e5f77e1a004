package org.vxpool.proxy.show;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vxpool.proxy.protocol.SqlState;

/**
 * A parsed {@code PGPOOL SHOW}, {@code PGPOOL SET} or {@code PGPOOL RESET}, in pgpool-II's grammar
 * (PostgreSQL's SHOW/SET/RESET with the PGPOOL keyword in front):
 * <pre>
 * PGPOOL SHOW { name | ALL }
 * PGPOOL SET name { TO | = } { value [, ...] | DEFAULT }
 * PGPOOL RESET { name | ALL }
 * </pre>
 * Names fold to lower case unless double-quoted ({@code "delegate_IP"}); a value is a word, a
 * number or a quoted string, and a list of them is joined with {@code ", "} as PostgreSQL's
 * flatten_set_variable_args does.
 *
 * @param name the parameter or group name; null for ALL
 * @param value SET's value; null for DEFAULT (and for SHOW and RESET)
 */
record PgpoolStatement(Verb verb, String name, String value) {

    enum Verb { SHOW, SET, RESET }

    boolean all() {
        return name == null;
    }

    /** @throws ShowException 42601 for anything outside the grammar */
    static PgpoolStatement parse(String sql) {
        List<Tok> t = tokens(sql);
        int i = 0;
        if (!word(t, i, "pgpool")) {
            throw syntax(t, i);
        }
        i++;
        Verb verb;
        if (word(t, i, "show")) {
            verb = Verb.SHOW;
        } else if (word(t, i, "set")) {
            verb = Verb.SET;
        } else if (word(t, i, "reset")) {
            verb = Verb.RESET;
        } else {
            throw syntax(t, i);
        }
        i++;
        if (verb != Verb.SET && word(t, i, "all") && i + 1 == t.size()) {
            return new PgpoolStatement(verb, null, null);
        }
        if (i >= t.size() || !(t.get(i).kind == Kind.WORD || t.get(i).kind == Kind.QUOTED)) {
            throw syntax(t, i);
        }
        String name = t.get(i).text;
        i++;
        if (verb != Verb.SET) {
            if (i != t.size()) {
                throw syntax(t, i);
            }
            return new PgpoolStatement(verb, name, null);
        }
        if (!word(t, i, "to") && !(i < t.size() && t.get(i).kind == Kind.EQUALS)) {
            throw syntax(t, i);
        }
        i++;
        if (word(t, i, "default") && i + 1 == t.size()) {
            return new PgpoolStatement(verb, name, null);
        }
        List<String> values = new ArrayList<>();
        while (true) {
            if (i >= t.size() || t.get(i).kind == Kind.EQUALS || t.get(i).kind == Kind.COMMA) {
                throw syntax(t, i);
            }
            values.add(t.get(i).text);
            i++;
            if (i == t.size()) {
                break;
            }
            if (t.get(i).kind != Kind.COMMA) {
                throw syntax(t, i);
            }
            i++;
        }
        return new PgpoolStatement(verb, name, String.join(", ", values));
    }

    private enum Kind { WORD, QUOTED, STRING, EQUALS, COMMA }

    /** @param text WORD: folded to lower case unless it is a number; QUOTED and STRING: unquoted */
    private record Tok(Kind kind, String text) {
    }

    private static boolean word(List<Tok> t, int i, String w) {
        return i < t.size() && t.get(i).kind == Kind.WORD && t.get(i).text.equals(w);
    }

    private static ShowException syntax(List<Tok> t, int i) {
        String near = i < t.size() ? t.get(i).text : null;
        return new ShowException(SqlState.SYNTAX_ERROR, near == null ? "syntax error at end of input"
                : "syntax error at or near \"" + near + "\"");
    }

    private static List<Tok> tokens(String sql) {
        List<Tok> out = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == ';') {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = skipBlockComment(sql, i);
            } else if (c == '"' || c == '\'') {
                int[] end = new int[1];
                String text = quoted(sql, i, c, end);
                out.add(new Tok(c == '"' ? Kind.QUOTED : Kind.STRING, text));
                i = end[0];
            } else if (c == '=') {
                out.add(new Tok(Kind.EQUALS, "="));
                i++;
            } else if (c == ',') {
                out.add(new Tok(Kind.COMMA, ","));
                i++;
            } else {
                int start = i;
                // a word, or a number with sign, decimals and unit (5min, -1, 0.5)
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || "_$.+-".indexOf(sql.charAt(i)) >= 0)
                        && !(sql.charAt(i) == '-' && i + 1 < n && sql.charAt(i + 1) == '-')) {
                    i++;
                }
                if (i == start) {
                    throw new ShowException(SqlState.SYNTAX_ERROR, "syntax error at or near \"" + c + "\"");
                }
                String w = sql.substring(start, i);
                out.add(new Tok(Kind.WORD, Character.isDigit(w.charAt(0)) ? w : w.toLowerCase(Locale.ROOT)));
            }
        }
        return out;
    }

    private static int skipBlockComment(String sql, int from) {
        int depth = 0;
        int i = from;
        while (i < sql.length()) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return i;
    }

    /** A quoted identifier or string from {@code from}; a doubled quote stands for one. */
    private static String quoted(String sql, int from, char q, int[] end) {
        StringBuilder b = new StringBuilder();
        int i = from + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == q) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == q) {
                    b.append(q);
                    i += 2;
                    continue;
                }
                end[0] = i + 1;
                return b.toString();
            }
            b.append(c);
            i++;
        }
        throw new ShowException(SqlState.SYNTAX_ERROR, q == '"' ? "unterminated quoted identifier"
                : "unterminated quoted string");
    }
}
