package org.vxpool.proxy.session;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.vxpool.proxy.pool.BackendConnection;
import org.vxpool.proxy.pool.SessionParams;
import org.vxpool.proxy.protocol.StartupMessage;

/**
 * Transaction pooling: the session settings of one client, which must follow it onto every
 * backend connection its transactions get. Two kinds:
 * <ul>
 *   <li>{@link #REPORTED} parameters: the server reports each change in ParameterStatus, so the
 *       client's value is the last one it was shown, and a connection's value the last one it
 *       reported; that covers SET inside transactions and their rollback too.</li>
 *   <li>{@link #UNREPORTED} parameters: not reported by PostgreSQL 15, so vxpool records the
 *       statement of each successful SET/RESET outside a transaction (inside one it is refused).</li>
 * </ul>
 * At check-out, the differences become one hidden Query. Backend connections are opened without
 * unreported start-up parameters, so {@code RESET} on them restores the server default.
 */
final class TrackedSettings {
    /** Settable GUC_REPORT parameters (lower case). */
    static final Set<String> REPORTED = Set.of("application_name", "client_encoding", "datestyle",
            "intervalstyle", "timezone", "standard_conforming_strings", "default_transaction_read_only");
    /** Parameters PostgreSQL 15 does not report, tracked from SET/RESET and the start-up packet. */
    static final Set<String> UNREPORTED = Set.of("search_path", "extra_float_digits", "statement_timeout",
            "lock_timeout", "idle_in_transaction_session_timeout", "bytea_output", "work_mem",
            "default_transaction_isolation", "default_transaction_deferrable");

    /** Reported values as the client last saw them, by the server's spelling of the name. */
    private final Map<String, String> reported = new LinkedHashMap<>();
    private final Map<String, String> initialReported;
    /** Statement establishing each unreported value; absent = server default. */
    private final Map<String, String> unreported = new HashMap<>();
    private final Map<String, String> initialUnreported;
    /**
     * Stands for the current reported values, so that a connection that matched them once is not
     * compared again ({@link BackendConnection#matches}): clients that never changed a value share
     * the welcome map they started from; any change makes a new one.
     */
    private Object fingerprint;

    /**
     * @param unreported the start-up packet's unreported settings ({@link #initialUnreported})
     * @param welcome the ParameterStatus values the client was welcomed with
     */
    TrackedSettings(Map<String, String> unreported, Map<String, String> welcome) {
        welcome.forEach((k, v) -> {
            if (REPORTED.contains(k.toLowerCase(Locale.ROOT))) {
                reported.put(k, v);
            }
        });
        this.unreported.putAll(unreported);
        initialReported = Map.copyOf(reported);
        initialUnreported = Map.copyOf(unreported);
        fingerprint = welcome;
    }

    /** The statements establishing the unreported settings of a start-up packet, by parameter name. */
    static Map<String, String> initialUnreported(StartupMessage startup) {
        Map<String, String> out = new HashMap<>();
        SessionParams.of(startup.parameters()).gucs().forEach((k, v) -> {
            if (UNREPORTED.contains(k)) {
                out.put(k, SessionParams.setConfigStatement(Map.of(k, v)));
            }
        });
        return Map.copyOf(out);
    }

    static boolean tracked(String lowerName) {
        return REPORTED.contains(lowerName) || UNREPORTED.contains(lowerName);
    }

    /**
     * The first start-up parameter transaction pooling cannot carry from connection to connection,
     * or null when all can be.
     */
    static String unsupportedStartupParameter(StartupMessage startup) {
        if (startup.parameters().containsKey("replication")) {
            return "replication";
        }
        SessionParams p = SessionParams.of(startup.parameters());
        if (p.unparsedOptions() != null) {
            return "options=" + p.unparsedOptions();
        }
        return p.gucs().keySet().stream().filter(k -> !tracked(k)).findFirst().orElse(null);
    }

    /** The start-up packet for pooled connections: user, database and the reported parameters only. */
    static StartupMessage backendStartup(StartupMessage startup) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", startup.user());
        params.put("database", startup.database());
        SessionParams.of(startup.parameters()).gucs().forEach((k, v) -> {
            if (REPORTED.contains(k)) {
                params.put(k, v);
            }
        });
        return new StartupMessage(org.vxpool.proxy.protocol.PgProtocol.PROTOCOL_3_0, params);
    }

    /** The client's value of a reported parameter, or null. */
    String reported(String lowerName) {
        for (Map.Entry<String, String> e : reported.entrySet()) {
            // asked once per Query (standard_conforming_strings): no lower-case copies
            if (e.getKey().equalsIgnoreCase(lowerName)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The client was shown a ParameterStatus. */
    void shown(String name, String value) {
        if (REPORTED.contains(name.toLowerCase(Locale.ROOT)) && !value.equals(reported.put(name, value))) {
            fingerprint = new Object();
        }
    }

    /** A SET/RESET of an unreported parameter succeeded outside a transaction ({@code statement} null = RESET). */
    void unreportedSet(String name, String statement) {
        if (statement == null) {
            String initial = initialUnreported.get(name);
            if (initial == null) {
                unreported.remove(name);
            } else {
                unreported.put(name, initial);
            }
        } else {
            unreported.put(name, statement);
        }
    }

    /**
     * RESET ALL / DISCARD ALL: back to the start-up values.
     *
     * @return the reported parameters whose value changes, with the value the client must be shown
     */
    Map<String, String> resetAll() {
        Map<String, String> changed = new LinkedHashMap<>();
        initialReported.forEach((k, v) -> {
            if (!v.equals(reported.get(k))) {
                changed.put(k, v);
            }
        });
        reported.clear();
        reported.putAll(initialReported);
        fingerprint = new Object();
        unreported.clear();
        unreported.putAll(initialUnreported);
        return changed;
    }

    /**
     * The statements that make {@code c} match this client, or null when it already does. The
     * connection's record of unreported values is updated as if they ran.
     */
    /**
     * Whether {@code c} has this client's settings as they are, so a unit can run there without a
     * settings Query (pipelining behind another client's unit). Changes nothing.
     */
    boolean sameAs(BackendConnection c) {
        if (!c.matches(fingerprint)) {
            for (Map.Entry<String, String> e : reported.entrySet()) {
                if (!e.getValue().equals(c.parameter(e.getKey()))) {
                    return false;
                }
            }
        }
        Map<String, String> applied = c.appliedSettings();
        if (unreported.isEmpty() && applied.isEmpty()) {
            return true;
        }
        for (String name : UNREPORTED) {
            if (!Objects.equals(unreported.get(name), applied.get(name))) {
                return false;
            }
        }
        return true;
    }

    String statementsFor(BackendConnection c) {
        // runs at every check-out, and nearly always finds nothing to do: allocate only for a difference
        Map<String, String> setConfig = null;
        if (!c.matches(fingerprint)) {
            Map<String, String> have = c.parameterStatus();
            for (Map.Entry<String, String> e : reported.entrySet()) {
                if (!e.getValue().equals(have.get(e.getKey()))) {
                    if (setConfig == null) {
                        setConfig = new LinkedHashMap<>();
                    }
                    setConfig.put(e.getKey(), e.getValue());
                }
            }
            if (setConfig == null) {
                c.matched(fingerprint);
            }
        }
        List<String> stmts = null;
        if (setConfig != null) {
            stmts = new java.util.ArrayList<>(2);
            stmts.add(SessionParams.setConfigStatement(setConfig));
        }
        Map<String, String> applied = c.appliedSettings();
        if (unreported.isEmpty() && applied.isEmpty()) {
            // the common case: no iterator over an empty set at each check-out
            return setConfig == null ? null : String.join("; ", stmts);
        }
        for (String name : UNREPORTED) {
            String want = unreported.get(name);
            if (!Objects.equals(want, applied.get(name))) {
                if (stmts == null) {
                    stmts = new java.util.ArrayList<>(2);
                }
                stmts.add(want == null ? "RESET " + name : want);
                if (want == null) {
                    applied.remove(name);
                } else {
                    applied.put(name, want);
                }
            }
        }
        return stmts == null ? null : String.join("; ", stmts);
    }
}
