package org.vxpool.watchdog;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The words of pgpool's {@code backend_flagN}, joined with {@code |} in the config file. */
public enum BackendFlag {
    ALLOW_TO_FAILOVER,
    /** A failed health check or an operator detach never takes the node down. */
    DISALLOW_TO_FAILOVER,
    /** The node is the primary whatever {@code pg_is_in_recovery()} says (e.g. a managed cloud primary). */
    ALWAYS_PRIMARY;

    /** Parses {@code "ALLOW_TO_FAILOVER|ALWAYS_PRIMARY"}; blank means no flag. */
    public static Set<BackendFlag> parse(String text) {
        Set<BackendFlag> flags = EnumSet.noneOf(BackendFlag.class);
        if (text == null) {
            return flags;
        }
        for (String word : text.split("\\|")) {
            String w = word.trim();
            if (!w.isEmpty()) {
                flags.add(valueOf(w.toUpperCase(Locale.ROOT)));
            }
        }
        return flags;
    }
}
