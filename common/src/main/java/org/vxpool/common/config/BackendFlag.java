package org.vxpool.common.config;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Flags of {@code backend_flagN}, written joined by {@code |}. */
public enum BackendFlag {
    ALLOW_TO_FAILOVER,
    DISALLOW_TO_FAILOVER,
    /** Always treat this node as the primary (pgpool 4.1 spelled it ALWAYS_MASTER). */
    ALWAYS_PRIMARY;

    static Set<BackendFlag> parse(String text) throws InvalidValueException {
        Set<BackendFlag> flags = EnumSet.noneOf(BackendFlag.class);
        for (String word : text.split("\\|")) {
            String w = word.trim().toUpperCase(Locale.ROOT);
            if (w.isEmpty()) {
                continue;
            }
            if (w.equals("ALWAYS_MASTER")) {
                w = ALWAYS_PRIMARY.name();
            }
            try {
                flags.add(BackendFlag.valueOf(w));
            } catch (IllegalArgumentException e) {
                throw new InvalidValueException("invalid flag '" + word.trim()
                        + "' (allowed: ALLOW_TO_FAILOVER, DISALLOW_TO_FAILOVER, ALWAYS_PRIMARY)");
            }
        }
        if (flags.contains(ALLOW_TO_FAILOVER) && flags.contains(DISALLOW_TO_FAILOVER)) {
            throw new InvalidValueException("ALLOW_TO_FAILOVER and DISALLOW_TO_FAILOVER exclude each other");
        }
        // As in pgpool, a node may fail over unless DISALLOW_TO_FAILOVER says otherwise.
        if (!flags.contains(DISALLOW_TO_FAILOVER)) {
            flags.add(ALLOW_TO_FAILOVER);
        }
        return flags;
    }

    static final ValueType<Set<BackendFlag>> TYPE = new ValueType<>() {
        @Override
        public Set<BackendFlag> parse(String text) throws InvalidValueException {
            return Set.copyOf(BackendFlag.parse(text));
        }

        @Override
        public String format(Set<BackendFlag> value) {
            return String.join("|", EnumSet.copyOf(value).stream().map(Enum::name).toList());
        }

        @Override
        public String description() {
            return "flags (ALLOW_TO_FAILOVER|DISALLOW_TO_FAILOVER|ALWAYS_PRIMARY)";
        }
    };
}
