package org.vxpool.proxy.session;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.vxpool.proxy.protocol.StartupMessage;

/**
 * What transaction pooling derives from a client's start-up parameters, before and after
 * authentication: the parameter it cannot carry (or null), the start-up packet of pooled
 * connections, the key of the welcome cache, and the unreported settings the client starts with.
 * It depends on the parameters alone, so it is computed once per distinct set and shared by every
 * event loop: the clients of one application send the same set each time (a {@code pgbench -C}
 * client, a connection pool's), and a client that connects for one transaction should not pay
 * for three passes over its parameters and the cache key's sorted copy.
 *
 * @param unsupported the first start-up parameter that cannot follow the client from connection to
 *     connection; when set, the other components are null (the client is refused)
 * @param backendStartup the start-up packet for pooled connections ({@link TrackedSettings#backendStartup})
 * @param shapeSuffix the node-independent part of the welcome cache key (node, user, database, reported values)
 * @param unreported the statements establishing the unreported settings of the start-up packet
 */
record TxStartup(String unsupported, StartupMessage backendStartup, String shapeSuffix, Map<String, String> unreported) {
    /** Distinct parameter sets kept; beyond this (a client per application_name, say) each is derived afresh. */
    static final int MAX_KEPT = 10_000;
    private static final Map<Map<String, String>, TxStartup> KNOWN = new ConcurrentHashMap<>();

    static TxStartup of(StartupMessage startup) {
        // the map is StartupMessage's own unmodifiable copy: usable as a key as it is
        Map<String, String> params = startup.parameters();
        TxStartup known = KNOWN.get(params);
        if (known != null) {
            return known;
        }
        TxStartup derived = derive(startup);
        if (KNOWN.size() < MAX_KEPT) {
            KNOWN.putIfAbsent(params, derived);
        }
        return derived;
    }

    private static TxStartup derive(StartupMessage startup) {
        String unsupported = TrackedSettings.unsupportedStartupParameter(startup);
        if (unsupported != null) {
            return new TxStartup(unsupported, null, null, null);
        }
        StartupMessage backend = TrackedSettings.backendStartup(startup);
        return new TxStartup(null, backend, "\u0000" + new TreeMap<>(backend.parameters()),
                TrackedSettings.initialUnreported(startup));
    }

    /** The welcome cache's key on {@code node}: equal to the welcome cache key (node, user, database, reported values). */
    String shape(int node) {
        return node + shapeSuffix;
    }

    /** How many parameter sets are kept (tests). */
    static int kept() {
        return KNOWN.size();
    }
}
