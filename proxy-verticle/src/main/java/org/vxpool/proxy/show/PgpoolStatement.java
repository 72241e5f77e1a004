package org.vxpool.proxy.show;

import java.util.ArrayList;
import java.util.List;
import org.vxpool.proxy.protocol.SqlState;
import org.vxpool.proxy.routing.LexedStatement;
import org.vxpool.proxy.routing.SqlLexer;
import org.vxpool.proxy.routing.Token;
import org.vxpool.proxy.routing.TokenType;

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
        if (!name(t, i)) {
            throw syntax(t, i);
        }
        StringBuilder name = new StringBuilder(t.get(i).text);
        i++;
        // PostgreSQL's var_name: a custom parameter's name has dots; pgpool has none, so it is unrecognized (42704)
        while (other(t, i, ".") && name(t, i + 1)) {
            name.append('.').append(t.get(i + 1).text);
            i += 2;
        }
        if (verb == Verb.SET) {
            return set(t, i, name.toString());
        }
        if (i != t.size()) {
            throw syntax(t, i);
        }
        return new PgpoolStatement(verb, name.toString(), null);
    }

    /** SET's tail from {@code i}: {@code { TO | = } { value [, ...] | DEFAULT }}. */
    private static PgpoolStatement set(List<Tok> t, int i, String name) {
        if (!word(t, i, "to") && !(i < t.size() && t.get(i).kind == Kind.EQUALS)) {
            throw syntax(t, i);
        }
        i++;
        if (word(t, i, "default") && i + 1 == t.size()) {
            return new PgpoolStatement(Verb.SET, name, null);
        }
        List<String> values = new ArrayList<>();
        while (true) {
            if (!value(t, i)) {
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
        return new PgpoolStatement(Verb.SET, name, String.join(", ", values));
    }

    /** OTHER: any token the grammar has no place for; its text is only for the error message. */
    private enum Kind { WORD, QUOTED, STRING, EQUALS, COMMA, OTHER }

    /** @param text WORD: lower-cased unless it is a number; QUOTED and STRING: unquoted */
    private record Tok(Kind kind, String text) {
    }

    private static boolean word(List<Tok> t, int i, String w) {
        return i < t.size() && t.get(i).kind == Kind.WORD && t.get(i).text.equals(w);
    }

    private static boolean other(List<Tok> t, int i, String text) {
        return i < t.size() && t.get(i).kind == Kind.OTHER && t.get(i).text.equals(text);
    }

    private static boolean name(List<Tok> t, int i) {
        return i < t.size() && (t.get(i).kind == Kind.WORD || t.get(i).kind == Kind.QUOTED);
    }

    private static boolean value(List<Tok> t, int i) {
        return i < t.size() && (t.get(i).kind == Kind.WORD || t.get(i).kind == Kind.QUOTED
                || t.get(i).kind == Kind.STRING);
    }

    private static ShowException syntax(List<Tok> t, int i) {
        String near = i < t.size() ? t.get(i).text : null;
        return new ShowException(SqlState.SYNTAX_ERROR, near == null ? "syntax error at end of input"
                : "syntax error at or near \"" + near + "\"");
    }

    /**
     * The routing lexer's tokens as the grammar sees them. A {@code ;} between statements is
     * skipped: the classifier hands us one statement, and a direct caller's trailing {@code ;} is
     * no error.
     */
    private static List<Tok> tokens(String sql) {
        if (open(sql)) {
            throw unterminated(sql);
        }
        List<Tok> out = new ArrayList<>();
        for (LexedStatement s : SqlLexer.lex(sql, true)) {
            for (int i = 0; i < s.size(); i++) {
                i = add(out, sql, s, i);
            }
        }
        return out;
    }

    /** Adds the token at {@code i} (with a number it signs); returns the index of the last one used. */
    private static int add(List<Tok> out, String sql, LexedStatement s, int i) {
        Token t = s.get(i);
        switch (t.type()) {
            case WORD, NUMBER -> out.add(new Tok(Kind.WORD, t.text()));
            case QUOTED_IDENT -> out.add(new Tok(sql.charAt(t.start()) == '"' ? Kind.QUOTED : Kind.OTHER, t.text()));
            case STRING -> out.add(string(t.text()));
            case PUNCT -> out.add(new Tok(t.isPunct(",") ? Kind.COMMA : Kind.OTHER, t.text()));
            case OPERATOR -> {
                return operator(out, s, i);
            }
            default -> out.add(new Tok(Kind.OTHER, t.text()));
        }
        return i;
    }

    /**
     * A plain {@code '...'} or dollar-quoted {@code $tag$...$tag$} constant, unquoted (as
     * PostgreSQL's SET takes either); escape, bit and Unicode strings are outside the grammar.
     */
    private static Tok string(String text) {
        if (text.charAt(0) == '\'') {
            return new Tok(Kind.STRING, text.substring(1, text.length() - 1).replace("''", "'"));
        }
        if (text.charAt(0) == '$') {
            int tag = text.indexOf('$', 1) + 1;
            return new Tok(Kind.STRING, text.substring(tag, text.length() - tag));
        }
        return new Tok(Kind.OTHER, text);
    }

    /**
     * {@code =}, and a sign written against a number ({@code -1}, {@code =-1}): the lexer reads
     * {@code =-} as one operator, where PostgreSQL's scanner drops a trailing sign from one.
     */
    private static int operator(List<Tok> out, LexedStatement s, int i) {
        Token t = s.get(i);
        String op = t.text();
        if (op.startsWith("=")) {
            out.add(new Tok(Kind.EQUALS, "="));
            op = op.substring(1);
        }
        Token next = s.get(i + 1);
        if ((op.equals("-") || op.equals("+")) && next.type() == TokenType.NUMBER
                && next.start() == t.start() + t.text().length()) {
            out.add(new Tok(Kind.WORD, op + next.text()));
            return i + 1;
        }
        if (!op.isEmpty()) {
            out.add(new Tok(Kind.OTHER, op));
        }
        return i;
    }

    /** Closing what is open with a quote tells a string from an identifier, as PostgreSQL's messages do. */
    private static ShowException unterminated(String sql) {
        String what = !open(sql + "'") ? "unterminated quoted string"
                : !open(sql + '"') ? "unterminated quoted identifier"
                : "unterminated /* comment or dollar-quoted string";
        return new ShowException(SqlState.SYNTAX_ERROR, what);
    }

    /**
     * Whether {@code sql} ends inside a string, quoted identifier, dollar quote or block comment:
     * a word written after it is then swallowed. (The lexer's own flag is lost when the open
     * quote is all of its statement, which the lexer drops as empty.)
     */
    private static boolean open(String sql) {
        List<LexedStatement> statements = SqlLexer.lex(sql + "\nx", true);
        if (statements.isEmpty()) {
            return true;
        }
        LexedStatement last = statements.get(statements.size() - 1);
        return last.get(last.size() - 1).start() != sql.length() + 1;
    }
}
