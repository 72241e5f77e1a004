package org.vxpool.proxy.routing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Best-effort extraction of the relations a statement writes and reads, from the token stream.
 * It serves {@code dml_adaptive} bookkeeping and the system-catalog rule; a miss only costs
 * balancing, never correctness, because writes are recognised by keyword elsewhere.
 */
final class TableRefs {

    /** Words that end a FROM item's alias position or the FROM list. */
    private static final Set<String> NOT_ALIASES = Set.of(
            "where", "join", "inner", "left", "right", "full", "cross", "natural", "on", "using", "group",
            "order", "having", "limit", "offset", "union", "intersect", "except", "window", "for", "returning",
            "set", "values", "select", "lateral", "tablesample", "fetch", "into", "default", "do", "when", "then",
            "as", "with", "from", "to");

    /** Functions whose argument syntax uses FROM without naming a relation. */
    private static final Set<String> FROM_IN_ARGS = Set.of("extract", "substring", "trim", "overlay", "position",
            "normalize");

    private TableRefs() {
    }

    static void collect(LexedStatement s, Draft d) {
        Deque<String> parenOwner = new ArrayDeque<>();
        for (int i = 0; i < s.size(); i++) {
            Token t = s.get(i);
            if (t.isPunct("(")) {
                parenOwner.push(i > 0 ? s.word(i - 1) : "");
            } else if (t.isPunct(")") && !parenOwner.isEmpty()) {
                parenOwner.pop();
            } else if (t.type() == TokenType.WORD) {
                String owner = parenOwner.isEmpty() ? "" : parenOwner.peek();
                collectAt(s, i, t.text(), owner, parenOwner.isEmpty(), d);
            }
        }
        for (String name : d.read) {
            if (isSystemCatalog(name)) {
                d.systemCatalog = true;
            }
        }
    }

    private static void collectAt(LexedStatement s, int i, String w, String owner, boolean top, Draft d) {
        String prev = s.word(i - 1);
        switch (w) {
            case "into" -> {
                name(s, skip(s, i + 1, "only", "temporary", "temp", "unlogged", "table"), d.written);
            }
            case "update" -> {
                if (!prev.equals("for") && !prev.equals("key") && !prev.equals("do") && !prev.equals("no")) {
                    name(s, skip(s, i + 1, "only"), d.written);
                }
            }
            case "from" -> {
                if (prev.equals("delete")) {
                    name(s, skip(s, i + 1, "only"), d.written);
                } else if (!FROM_IN_ARGS.contains(owner) && !(top && isCopy(s))) {
                    fromList(s, i + 1, d.read);
                }
            }
            case "join" -> fromList(s, i + 1, d.read);
            case "truncate" -> nameList(s, skip(s, i + 1, "table", "only"), d.written);
            case "table" -> tableKeyword(s, i, prev, d);
            case "using" -> {
                if (s.word(0).equals("merge") || s.word(0).equals("delete")) {
                    fromList(s, i + 1, d.read);
                }
            }
            default -> {
            }
        }
    }

    private static void tableKeyword(LexedStatement s, int i, String prev, Draft d) {
        if (i == 0) {
            name(s, skip(s, 1, "only"), d.read);
        } else if (prev.equals("alter") || prev.equals("create") || prev.equals("temp") || prev.equals("temporary")
                || prev.equals("unlogged") || prev.equals("lock")) {
            name(s, skip(s, i + 1, "if", "not", "exists", "only"), d.written);
        } else if (prev.equals("drop")) {
            nameList(s, skip(s, i + 1, "if", "exists"), d.written);
        }
    }

    private static boolean isCopy(LexedStatement s) {
        return s.word(0).equals("copy");
    }

    private static int skip(LexedStatement s, int i, String... words) {
        boolean moved = true;
        while (moved && i < s.size()) {
            moved = false;
            for (String w : words) {
                if (s.word(i).equals(w)) {
                    i++;
                    moved = true;
                }
            }
        }
        return i;
    }

    /** A FROM list: {@code a [AS] x, b, c JOIN ...}; stops at anything but a plain name. */
    private static void fromList(LexedStatement s, int i, Set<String> into) {
        while (i < s.size()) {
            i = skip(s, i, "only", "lateral");
            int end = name(s, i, into, false);
            if (end == i) {
                return;
            }
            i = end;
            if (s.word(i).equals("as")) {
                i++;
            }
            if (i < s.size() && s.get(i).isIdentifier() && !NOT_ALIASES.contains(s.word(i))) {
                i++;
            }
            if (i < s.size() && s.get(i).isPunct(",")) {
                i++;
            } else {
                return;
            }
        }
    }

    private static void nameList(LexedStatement s, int i, Set<String> into) {
        while (true) {
            int end = name(s, i, into);
            if (end == i || end >= s.size() || !s.get(end).isPunct(",")) {
                return;
            }
            i = end + 1;
        }
    }

    /** Reads a possibly qualified name at {@code i} into {@code into}; returns the index after it. */
    static int name(LexedStatement s, int i, Set<String> into) {
        return name(s, i, into, true);
    }

    /** As {@link #name(LexedStatement, int, Set)}; without {@code parenAllowed}, "name(" is a call, not a name. */
    private static int name(LexedStatement s, int i, Set<String> into, boolean parenAllowed) {
        if (i >= s.size() || !s.get(i).isIdentifier()) {
            return i;
        }
        StringBuilder name = new StringBuilder(s.get(i).text());
        int j = i + 1;
        while (j + 1 < s.size() && s.get(j).isPunct(".") && s.get(j + 1).isIdentifier()) {
            name.append('.').append(s.get(j + 1).text());
            j += 2;
        }
        if (!parenAllowed && j < s.size() && s.get(j).isPunct("(")) {
            return i;
        }
        into.add(name.toString());
        return j;
    }

    static boolean isSystemCatalog(String name) {
        int dot = name.indexOf('.');
        if (dot >= 0) {
            String schema = name.substring(0, dot);
            return schema.equals("pg_catalog") || schema.equals("information_schema");
        }
        return name.startsWith("pg_");
    }
}
