package org.vxpool.common.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The implicit unit of a numeric parameter. As in PostgreSQL and pgpool-II, a bare number is in
 * the parameter's unit and a suffixed one ({@code 5min}, {@code 64MB}) is converted to it.
 */
public enum Unit {
    NONE(Map.of()),
    MILLISECONDS(Map.of("ms", 1L, "s", 1000L, "min", 60_000L, "h", 3_600_000L, "d", 86_400_000L)),
    SECONDS(Map.of("s", 1L, "min", 60L, "h", 3600L, "d", 86_400L)),
    BYTES(Map.of("b", 1L, "kb", 1024L, "mb", 1024L * 1024, "gb", 1024L * 1024 * 1024,
            "tb", 1024L * 1024 * 1024 * 1024));

    private final Map<String, Long> factors;

    Unit(Map<String, Long> factors) {
        this.factors = factors;
    }

    /**
     * Converts {@code number suffix} to this unit. Units are matched case-insensitively (pgpool is
     * case-sensitive, but no two units of one kind differ only in case). A time in milliseconds
     * given to a seconds parameter is rounded as PostgreSQL does.
     */
    long convert(long number, String suffix) throws InvalidValueException {
        String s = suffix.toLowerCase(Locale.ROOT);
        if (this == SECONDS && s.equals("ms")) {
            return Math.round(number / 1000.0);
        }
        Long factor = factors.get(s);
        if (factor == null) {
            throw new InvalidValueException(this == NONE
                    ? "unit '" + suffix + "' not allowed here (plain number expected)"
                    : "unknown unit '" + suffix + "' (valid: " + validUnits() + ")");
        }
        return Math.multiplyExact(number, factor);
    }

    String validUnits() {
        return switch (this) {
            case NONE -> "none";
            case MILLISECONDS, SECONDS -> "ms, s, min, h, d";
            case BYTES -> "B, kB, MB, GB, TB";
        };
    }

    /** A value of a time parameter as a Duration; {@code IllegalStateException} for non-time units. */
    public Duration toDuration(long value) {
        return switch (this) {
            case MILLISECONDS -> Duration.ofMillis(value);
            case SECONDS -> Duration.ofSeconds(value);
            default -> throw new IllegalStateException(this + " is not a unit of time");
        };
    }
}
