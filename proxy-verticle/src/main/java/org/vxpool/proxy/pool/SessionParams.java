package org.vxpool.proxy.pool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run-time parameters a client's StartupMessage sets: its GUCs (names lower-cased) with
 * {@code options} expanded from {@code -c name=value} / {@code --name=value}. A pooled connection
 * serves a client whose parameters are equal to the ones it was opened with (in session mode).
 *
 * @param unparsedOptions an {@code options} value holding more than GUC assignments (e.g. {@code -e}),
 *     compared verbatim; null when there is none
 */
public record SessionParams(Map<String, String> gucs, String unparsedOptions) {

    public SessionParams {
        gucs = Collections.unmodifiableMap(new LinkedHashMap<>(gucs));
    }

    public static SessionParams of(Map<String, String> startup) {
        Map<String, String> gucs = new LinkedHashMap<>();
        String unparsed = null;
        for (Map.Entry<String, String> e : startup.entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            switch (name) {
                case "user", "database", "replication":
                    break;
                case "options":
                    if (!parseOptions(e.getValue(), gucs)) {
                        unparsed = e.getValue();
                    }
                    break;
                default:
                    if (!name.startsWith("_pq_.")) {
                        gucs.put(name, e.getValue());
                    }
            }
        }
        return new SessionParams(gucs, unparsed);
    }

    /**
     * One statement applying {@code values}. set_config takes the raw string exactly as a
     * start-up packet does, so list values such as {@code search_path = 'a, b'} keep their meaning.
     */
    public static String setConfigStatement(Map<String, String> values) {
        StringBuilder sb = new StringBuilder("SELECT ");
        String sep = "";
        for (Map.Entry<String, String> e : values.entrySet()) {
            sb.append(sep).append("pg_catalog.set_config(").append(literal(e.getKey())).append(", ")
                    .append(literal(e.getValue())).append(", false)");
            sep = ", ";
        }
        return sb.toString();
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** Splits like PostgreSQL's pg_split_opts; false when a token is not a GUC assignment. */
    private static boolean parseOptions(String options, Map<String, String> into) {
        List<String> tokens = splitOptions(options);
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            String assignment;
            if (t.equals("-c") && i + 1 < tokens.size()) {
                assignment = tokens.get(++i);
            } else if (t.startsWith("-c") && t.length() > 2) {
                assignment = t.substring(2);
            } else if (t.startsWith("--") && t.length() > 2) {
                assignment = t.substring(2);
            } else {
                return false;
            }
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                return false;
            }
            into.put(assignment.substring(0, eq).replace('-', '_').toLowerCase(Locale.ROOT), assignment.substring(eq + 1));
        }
        return true;
    }

    private static List<String> splitOptions(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                if (cur != null) {
                    out.add(cur.toString());
                    cur = null;
                }
                continue;
            }
            if (cur == null) {
                cur = new StringBuilder();
            }
            if (c == '\\' && i + 1 < s.length()) {
                c = s.charAt(++i);
            }
            cur.append(c);
        }
        if (cur != null) {
            out.add(cur.toString());
        }
        return out;
    }
}
