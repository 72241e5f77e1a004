package org.vxpool.proxy.routing;

import java.util.Set;

/** Transaction-related syntax: BEGIN, SET TRANSACTION, SET/RESET of transaction defaults, COMMIT. */
final class TxSyntax {

    private static final Set<String> TRUE_WORDS = Set.of("on", "true", "yes", "1", "'on'", "'true'", "'yes'", "'1'",
            "t", "y", "'t'", "'y'");

    private TxSyntax() {
    }

    /** Reads a transaction-mode list ({@code ISOLATION LEVEL x, READ ONLY, [NOT] DEFERRABLE}) from {@code i}. */
    static void modes(LexedStatement s, int i, Draft d) {
        for (; i < s.size(); i++) {
            if (TokenScan.wordsAt(s, i, "read", "only")) {
                d.access = TxAccess.READ_ONLY;
            } else if (TokenScan.wordsAt(s, i, "read", "write")) {
                d.access = TxAccess.READ_WRITE;
            } else if (TokenScan.wordsAt(s, i, "isolation", "level")) {
                d.isolation = isolation(s.word(i + 2), s.word(i + 3));
            }
        }
    }

    static Isolation isolation(String w1, String w2) {
        return switch (w1) {
            case "serializable" -> Isolation.SERIALIZABLE;
            case "repeatable" -> Isolation.REPEATABLE_READ;
            case "read" -> w2.equals("uncommitted") ? Isolation.READ_UNCOMMITTED : Isolation.READ_COMMITTED;
            default -> Isolation.UNSPECIFIED;
        };
    }

    /** Isolation from a setting value: {@code 'serializable'}, {@code "repeatable read"}... */
    static Isolation isolationValue(Token value) {
        return isolationValue(value.text());
    }

    static Isolation isolationValue(String value) {
        String v = value.toLowerCase().replace("'", "").replace("\"", "").trim();
        String[] parts = v.split("\\s+");
        return isolation(parts[0], parts.length > 1 ? parts[1] : "");
    }

    /** A boolean setting's value as PostgreSQL reads it (on, true, yes, 1 and their prefixes t, y). */
    static boolean isTrue(String value) {
        return TRUE_WORDS.contains(value.trim().toLowerCase());
    }

    static Draft begin(LexedStatement s, int i) {
        Draft d = new Draft(StatementKind.TX_BEGIN, "transaction start");
        modes(s, i, d);
        return d;
    }

    /** COMMIT, END, ROLLBACK, ABORT (first word at 0). */
    static Draft end(LexedStatement s) {
        String first = s.word(0);
        if (s.word(1).equals("prepared")) {
            return new Draft(StatementKind.WRITE, "two-phase commit must run on the primary");
        }
        if ((first.equals("rollback") || first.equals("abort")) && TokenScan.hasWord(s, 1, "to")) {
            return new Draft(StatementKind.SAVEPOINT, "rollback to savepoint");
        }
        Draft d = new Draft(StatementKind.TX_END, "transaction end");
        int and = TokenScan.indexOfWord(s, 1, "and");
        d.chain = and > 0 && s.word(and + 1).equals("chain");
        return d;
    }

    /** SET ...; the word after SET is at 1. */
    static Draft set(LexedStatement s) {
        int i = 1;
        String w = s.word(i);
        if (w.equals("local")) {
            return new Draft(StatementKind.TX_LOCAL, "SET LOCAL");
        }
        if (w.equals("session") && TokenScan.wordsAt(s, i + 1, "characteristics")) {
            Draft d = new Draft(StatementKind.SESSION_SET, "session transaction defaults");
            modes(s, i + 2, d);
            return d;
        }
        if (w.equals("session")) {
            i++;
            w = s.word(i);
        }
        if (w.equals("transaction") || w.equals("constraints")) {
            Draft d = new Draft(StatementKind.TX_LOCAL, "SET " + w.toUpperCase());
            modes(s, i + 1, d);
            return d.access == TxAccess.READ_WRITE ? d.kind(StatementKind.WRITE, "SET TRANSACTION READ WRITE") : d;
        }
        return setVariable(s, i, w);
    }

    private static Draft setVariable(LexedStatement s, int i, String variable) {
        int v = i + 1;
        if (v < s.size() && (s.get(v).text().equals("=") || s.word(v).equals("to"))) {
            v++;
        }
        Token value = v < s.size() ? s.get(v) : new Token(TokenType.WORD, "default", 0);
        boolean on = TRUE_WORDS.contains(value.text().toLowerCase());
        switch (variable) {
            case "transaction_read_only" -> {
                return on ? readOnlyLocal() : new Draft(StatementKind.WRITE, "SET transaction_read_only = off");
            }
            case "transaction_isolation" -> {
                Draft d = new Draft(StatementKind.TX_LOCAL, "SET transaction_isolation");
                d.isolation = isolationValue(value);
                return d;
            }
            case "default_transaction_read_only" -> {
                Draft d = new Draft(StatementKind.SESSION_SET, "SET default_transaction_read_only");
                d.access = on ? TxAccess.READ_ONLY : TxAccess.READ_WRITE;
                return d;
            }
            case "default_transaction_isolation" -> {
                Draft d = new Draft(StatementKind.SESSION_SET, "SET default_transaction_isolation");
                d.isolation = value.text().equals("default") ? Isolation.READ_COMMITTED : isolationValue(value);
                return d;
            }
            default -> {
                return new Draft(StatementKind.SESSION_SET, "SET");
            }
        }
    }

    private static Draft readOnlyLocal() {
        Draft d = new Draft(StatementKind.TX_LOCAL, "SET transaction_read_only = on");
        d.access = TxAccess.READ_ONLY;
        return d;
    }

    /** RESET x / RESET ALL: transaction defaults go back to read-write, read committed. */
    static Draft reset(LexedStatement s) {
        Draft d = new Draft(StatementKind.SESSION_SET, "RESET");
        String w = s.word(1);
        if (w.equals("all") || w.equals("default_transaction_read_only")) {
            d.access = TxAccess.READ_WRITE;
        }
        if (w.equals("all") || w.equals("default_transaction_isolation")) {
            d.isolation = Isolation.READ_COMMITTED;
        }
        return d;
    }
}
