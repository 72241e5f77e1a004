package org.vxpool.proxy.stats;

import org.vxpool.proxy.protocol.ErrorFields;
import org.vxpool.proxy.protocol.ErrorResponse;

/** The severities of ErrorResponse (B) that {@code SHOW pool_backend_stats} counts: panic_cnt, fatal_cnt, error_cnt. */
public enum ErrorSeverity {
    PANIC("panic"),
    FATAL("fatal"),
    ERROR("error");

    private static final ErrorSeverity[] ALL = values();

    private final String label;

    ErrorSeverity(String label) {
        this.label = label;
    }

    /** The Prometheus label value; {@code label + "_cnt"} is the pool_backend_stats column. */
    public String label() {
        return label;
    }

    static ErrorSeverity of(int ordinal) {
        return ALL[ordinal];
    }

    /**
     * The class of an ErrorResponse by its severity ({@link ErrorFields#severity()}: V, else S). A
     * severity that is none of the three words (a localized S from an older server, or none)
     * counts as {@link #ERROR}, by far the most common.
     */
    public static ErrorSeverity of(ErrorResponse e) {
        String severity = e.fields().severity();
        for (ErrorSeverity s : ALL) {
            if (s.name().equals(severity)) {
                return s;
            }
        }
        return ERROR;
    }
}
