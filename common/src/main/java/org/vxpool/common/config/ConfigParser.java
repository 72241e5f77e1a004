package org.vxpool.common.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The lexical layer of pgpool.conf, which is PostgreSQL's GUC file syntax: one {@code key = value}
 * per line, the {@code =} optional, {@code #} starting a comment anywhere outside quotes, values
 * either single-quoted (with {@code ''} and backslash escapes) or a bare word up to whitespace.
 */
final class ConfigParser {

    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private final String file;
    private final List<ConfigEntry> entries = new ArrayList<>();
    private final List<ConfigProblem> problems = new ArrayList<>();

    private ConfigParser(String file) {
        this.file = file;
    }

    record Result(List<ConfigEntry> entries, List<ConfigProblem> problems) {
    }

    static Result parse(String text, String file) {
        ConfigParser p = new ConfigParser(file);
        // Windows editors (Notepad) start UTF-8 files with a byte order mark; left in, it would
        // read as an invisible first parameter name.
        if (text.startsWith(BYTE_ORDER_MARK)) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            p.parseLine(lines[i], i + 1);
        }
        return new Result(List.copyOf(p.entries), List.copyOf(p.problems));
    }

    private void parseLine(String line, int lineNo) {
        Cursor c = new Cursor(line);
        c.skipSpaces();
        if (c.atEndOrComment()) {
            return;
        }
        String key = c.word();
        if (key.isEmpty() || !Character.isLetter(key.charAt(0)) && key.charAt(0) != '_') {
            problem(lineNo, key.isEmpty() ? String.valueOf(c.peek()) : key, "syntax error: parameter name expected");
            return;
        }
        c.skipSpaces();
        if (c.peek() == '=') {
            c.next();
            c.skipSpaces();
        }
        if (c.atEndOrComment()) {
            problem(lineNo, key, "syntax error: missing value");
            return;
        }
        String value;
        if (c.peek() == '\'') {
            value = quoted(c, lineNo, key);
            if (value == null) {
                return;
            }
        } else {
            value = c.bareValue();
        }
        c.skipSpaces();
        if (!c.atEndOrComment()) {
            problem(lineNo, key, "syntax error: unexpected '" + c.rest().strip()
                    + "' after the value (quote values that contain spaces)");
            return;
        }
        entries.add(new ConfigEntry(file, lineNo, key, value));
    }

    /** Reads a quoted value starting at the opening quote; null (and a problem) if unterminated. */
    private String quoted(Cursor c, int lineNo, String key) {
        c.next();
        StringBuilder sb = new StringBuilder();
        while (!c.atEnd()) {
            char ch = c.next();
            if (ch == '\'') {
                if (c.peek() == '\'') {
                    c.next();
                    sb.append('\'');
                    continue;
                }
                return sb.toString();
            }
            if (ch == '\\' && !c.atEnd()) {
                sb.append(unescape(c));
                continue;
            }
            sb.append(ch);
        }
        problem(lineNo, key, "unterminated quoted string");
        return null;
    }

    /** PostgreSQL's GUC_scanstr: \b \f \n \r \t, up to three octal digits, else the char itself. */
    private static String unescape(Cursor c) {
        char e = c.next();
        switch (e) {
            case 'b':
                return "\b";
            case 'f':
                return "\f";
            case 'n':
                return "\n";
            case 'r':
                return "\r";
            case 't':
                return "\t";
            default:
                break;
        }
        if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int i = 0; i < 2 && c.peek() >= '0' && c.peek() <= '7'; i++) {
                v = v * 8 + (c.next() - '0');
            }
            return String.valueOf((char) v);
        }
        return String.valueOf(e);
    }

    private void problem(int line, String key, String message) {
        problems.add(new ConfigProblem(file, line, key, message));
    }

    private static final class Cursor {
        private final String s;
        private int pos;

        Cursor(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        boolean atEndOrComment() {
            return atEnd() || s.charAt(pos) == '#';
        }

        char peek() {
            return atEnd() ? '\0' : s.charAt(pos);
        }

        char next() {
            return s.charAt(pos++);
        }

        void skipSpaces() {
            while (!atEnd() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        /** A parameter name: letters, digits, '_', '.' and '-'. */
        String word() {
            int start = pos;
            while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '.'
                    || peek() == '-')) {
                pos++;
            }
            return s.substring(start, pos);
        }

        /** An unquoted value: everything up to whitespace or '#'. */
        String bareValue() {
            int start = pos;
            while (!atEnd() && !Character.isWhitespace(peek()) && peek() != '#') {
                pos++;
            }
            return s.substring(start, pos);
        }

        String rest() {
            return s.substring(pos);
        }
    }
}
