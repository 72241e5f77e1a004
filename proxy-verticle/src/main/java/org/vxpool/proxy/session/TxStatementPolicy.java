package org.vxpool.proxy.session;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vxpool.proxy.routing.ClassifiedStatement;
import org.vxpool.proxy.routing.PreparedOp;
import org.vxpool.proxy.routing.StatementKind;

/**
 * Transaction pooling: what to do with a statement whose effect outlives its transaction. A
 * backend connection serves other clients between this client's transactions, so such state is
 * either tracked and re-applied ({@link TrackedSettings}), answered by vxpool itself (the
 * statements vxpool virtualises), or refused with {@code 0A000} naming the feature. A pure
 * function of the statement and whether a transaction is open.
 */
final class TxStatementPolicy {
    /** What the session does. */
    enum Action {
        /** Send it as it is. */
        PASS,
        /** SET/RESET of an unreported tracked parameter: send, and record it if it succeeds. */
        TRACK,
        /** vxpool answers: RESET ALL, DISCARD ALL. */
        RESET_ALL,
        /** vxpool answers: DEALLOCATE ALL. */
        DEALLOCATE_ALL,
        /** vxpool answers: DEALLOCATE name. */
        DEALLOCATE,
        /** ErrorResponse 0A000 with {@link Verdict#message}. */
        REFUSE
    }

    /**
     * @param name TRACK: the parameter; DEALLOCATE: the statement
     * @param statement TRACK: the statement to replay, null for RESET
     * @param message REFUSE: the error message
     */
    record Verdict(Action action, String name, String statement, String message) {
        static final Verdict PASS = new Verdict(Action.PASS, null, null, null);
    }

    private static final Pattern SET = Pattern.compile(
            "^set\\s+(?:session\\s+)?(?!local\\b)([a-z_][a-z0-9_$]*(?:\\.[a-z_][a-z0-9_$]*)?)\\s*(?:=|\\bto\\b)\\s*(.*?)[\\s;]*$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern RESET = Pattern.compile("^reset\\s+([a-z_][a-z0-9_$.]*)[\\s;]*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern ADVISORY = Pattern.compile("\\bpg_(?:try_)?advisory_(?:lock|unlock)(?:_shared|_all)?\\s*\\(",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WITH_HOLD = Pattern.compile("\\bwith\\s+hold\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern CHARACTERISTICS = Pattern.compile(
            "^set\\s+(?:session\\s+)?characteristics\\s+as\\s+transaction\\s+(.*?)[\\s;]*$", Pattern.DOTALL);
    /** One transaction mode of SET SESSION CHARACTERISTICS, with the comma that may follow it. */
    private static final Pattern MODE = Pattern.compile(
            "\\s*(?:isolation\\s+level\\s+(serializable|repeatable\\s+read|read\\s+committed|read\\s+uncommitted)"
                    + "|read\\s+(?:only|write)|(not\\s+)?(deferrable))\\s*,?");
    private static final Pattern ON_COMMIT_DROP = Pattern.compile("\\bon\\s+commit\\s+drop\\b", Pattern.CASE_INSENSITIVE);

    private TxStatementPolicy() {
    }

    /** Runs for every statement in transaction mode: the regular expressions only run on a cheap hint. */
    static Verdict judge(ClassifiedStatement st, boolean inTransaction) {
        String text = st.text().substring(skipNoise(st.text()));
        String first = firstWord(text);
        switch (first) {
            case "listen" -> {
                return refuse("LISTEN");
            }
            case "declare" -> {
                if (WITH_HOLD.matcher(text).find()) {
                    return refuse("DECLARE ... WITH HOLD (a cursor that outlives its transaction)");
                }
            }
            case "prepare" -> {
                if (st.prepared() == PreparedOp.PREPARE) {
                    return refuse("PREPARE (SQL-level prepared statements; protocol-level ones, as drivers use, work)");
                }
            }
            default -> {
            }
        }
        if (containsIgnoreCase(text, "advisory") && ADVISORY.matcher(text).find()) {
            return refuse("session-level advisory locks (pg_advisory_lock and friends; the pg_advisory_xact_* functions work)");
        }
        if (st.kind() == StatementKind.WRITE && st.temporary()
                && !(inTransaction && ON_COMMIT_DROP.matcher(text).find())) {
            return refuse("temporary tables (CREATE TEMP TABLE; ON COMMIT DROP inside a transaction works)");
        }
        if (st.kind() != StatementKind.SESSION_SET) {
            return Verdict.PASS;
        }
        return sessionStatement(st, text, text.toLowerCase(Locale.ROOT), first, inTransaction);
    }

    /** Where the statement starts after white space and comments. */
    private static int skipNoise(String s) {
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (s.startsWith("--", i)) {
                int nl = s.indexOf('\n', i);
                i = nl < 0 ? s.length() : nl + 1;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
            } else {
                break;
            }
        }
        return i;
    }

    private static String firstWord(String text) {
        int end = 0;
        while (end < text.length() && Character.isLetter(text.charAt(end))) {
            end++;
        }
        return text.substring(0, end).toLowerCase(Locale.ROOT);
    }

    /** {@code word} is lower case. */
    private static boolean containsIgnoreCase(String text, String word) {
        char first = word.charAt(0);
        char upper = Character.toUpperCase(first);
        for (int i = 0; i + word.length() <= text.length(); i++) {
            char c = text.charAt(i);
            // runs over every statement's text: compare the region only where its first letter matches
            if ((c == first || c == upper) && text.regionMatches(true, i, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

    private static Verdict sessionStatement(ClassifiedStatement st, String text, String lower, String first, boolean inTx) {
        switch (st.prepared()) {
            case DEALLOCATE_ALL -> {
                return lower.startsWith("discard") ? resetAll(inTx, "DISCARD ALL")
                        : new Verdict(Action.DEALLOCATE_ALL, null, null, null);
            }
            case DEALLOCATE -> {
                return new Verdict(Action.DEALLOCATE, st.name(), null, null);
            }
            default -> {
            }
        }
        switch (first) {
            case "discard" -> {
                return Verdict.PASS;
            }
            case "reset" -> {
                Matcher m = RESET.matcher(text);
                if (!m.matches()) {
                    return refuse("this RESET");
                }
                String name = m.group(1).toLowerCase(Locale.ROOT);
                return name.equals("all") ? resetAll(inTx, "RESET ALL") : setting(name, null, inTx);
            }
            case "set" -> {
                return set(text, lower, inTx);
            }
            default -> {
                return refuse(st.reason().equals("LOAD") ? "LOAD" : "set_config(..., false) (use SET)");
            }
        }
    }

    private static Verdict set(String text, String lower, boolean inTx) {
        if (lower.matches("^set\\s+(session\\s+)?time\\s+zone\\b.*") || lower.matches("^set\\s+names\\b.*")) {
            return Verdict.PASS;
        }
        if (lower.matches("^set\\s+(session\\s+)?(role|session\\s+authorization)\\b.*")) {
            return refuse("SET ROLE / SET SESSION AUTHORIZATION");
        }
        if (lower.matches("^set\\s+(session\\s+)?characteristics\\b.*")) {
            return characteristics(lower, inTx);
        }
        if (lower.matches("^set\\s+schema\\b.*")) {
            return setting("search_path", text, inTx);
        }
        Matcher m = SET.matcher(text);
        if (!m.matches()) {
            return refuse("this SET");
        }
        return setting(m.group(1).toLowerCase(Locale.ROOT), text.replaceAll("[\\s;]+$", ""), inTx);
    }

    /**
     * SET SESSION CHARACTERISTICS AS TRANSACTION: what JDBC's {@code setTransactionIsolation} (and
     * {@code setReadOnly} with {@code readOnlyMode=always}) sends, so HikariCP's
     * {@code transactionIsolation} and Spring's isolation levels use it. Each mode sets one
     * parameter: the read-only one is reported by the server and followed like any reported
     * parameter; the isolation level or deferrability is tracked as its own SET. One unreported
     * mode per statement, since a tracked statement stands for one parameter.
     */
    private static Verdict characteristics(String lower, boolean inTx) {
        Matcher m = CHARACTERISTICS.matcher(lower);
        if (!m.matches()) {
            return refuse("this SET SESSION CHARACTERISTICS");
        }
        String modes = m.group(1);
        Matcher mode = MODE.matcher(modes);
        String name = "default_transaction_read_only";
        String statement = null;
        int unreported = 0;
        for (int at = 0; at < modes.length(); at = mode.end()) {
            if (!mode.region(at, modes.length()).lookingAt() || mode.end() == at) {
                return refuse("this SET SESSION CHARACTERISTICS");
            }
            if (mode.group(1) != null) {
                name = "default_transaction_isolation";
                statement = "SET default_transaction_isolation = '" + mode.group(1).replaceAll("\\s+", " ") + "'";
                unreported++;
            } else if (mode.group(3) != null) {
                name = "default_transaction_deferrable";
                statement = "SET default_transaction_deferrable = " + (mode.group(2) == null ? "on" : "off");
                unreported++;
            }
        }
        if (unreported > 1) {
            return refuse("SET SESSION CHARACTERISTICS with both ISOLATION LEVEL and [NOT] DEFERRABLE"
                    + " (set them in two statements)");
        }
        return setting(name, statement, inTx);
    }

    private static Verdict setting(String name, String statement, boolean inTx) {
        if (TrackedSettings.REPORTED.contains(name)) {
            return Verdict.PASS;
        }
        if (!TrackedSettings.UNREPORTED.contains(name)) {
            return refuse("SET of \"" + name + "\" outside SET LOCAL (tracked parameters: "
                    + String.join(", ", new java.util.TreeSet<>(TrackedSettings.REPORTED)) + ", "
                    + String.join(", ", new java.util.TreeSet<>(TrackedSettings.UNREPORTED)) + ")");
        }
        if (inTx) {
            return refuse("SET of \"" + name + "\" inside a transaction block (use SET LOCAL, or SET it outside the transaction)");
        }
        return new Verdict(Action.TRACK, name, statement, null);
    }

    private static Verdict resetAll(boolean inTx, String what) {
        return inTx ? refuse(what + " inside a transaction block") : new Verdict(Action.RESET_ALL, null, what, null);
    }

    private static Verdict refuse(String feature) {
        return new Verdict(Action.REFUSE, null, null, feature + " is not supported with pool_mode = transaction");
    }
}
