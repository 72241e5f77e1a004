package org.vxpool.proxy.stats;

import io.vertx.core.buffer.Buffer;
import org.vxpool.proxy.protocol.ErrorFields;

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
     * The severity of the ErrorResponse body in bytes {@code [from, end)} of {@code b} (the fields
     * after the length word): the non-localized field {@code V} (PostgreSQL 9.6 and later), else
     * {@code S}. A severity that is none of the three words (a localized {@code S} from an older
     * server) counts as {@link #ERROR}, by far the most common. Allocates nothing.
     */
    public static ErrorSeverity ofFields(Buffer b, int from, int end) {
        int sFrom = -1;
        int sEnd = -1;
        int i = from;
        while (i < end) {
            byte code = b.getByte(i);
            if (code == 0) {
                break;
            }
            int v = i + 1;
            int z = v;
            while (z < end && b.getByte(z) != 0) {
                z++;
            }
            if (code == ErrorFields.SEVERITY_NONLOCALIZED) {
                return word(b, v, z);
            }
            if (code == ErrorFields.SEVERITY && sFrom < 0) {
                sFrom = v;
                sEnd = z;
            }
            i = z + 1;
        }
        return sFrom < 0 ? ERROR : word(b, sFrom, sEnd);
    }

    private static ErrorSeverity word(Buffer b, int from, int end) {
        for (ErrorSeverity s : ALL) {
            if (equalsUpper(b, from, end, s.name())) {
                return s;
            }
        }
        return ERROR;
    }

    private static boolean equalsUpper(Buffer b, int from, int end, String w) {
        if (end - from != w.length()) {
            return false;
        }
        for (int k = 0; k < w.length(); k++) {
            if (b.getByte(from + k) != w.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
