package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The field list shared by ErrorResponse (B) and NoticeResponse (B), keyed by field code. */
public record ErrorFields(Map<Character, String> fields) {

    public static final char SEVERITY = 'S';
    public static final char SEVERITY_NONLOCALIZED = 'V';
    public static final char CODE = 'C';
    public static final char MESSAGE = 'M';
    public static final char DETAIL = 'D';
    public static final char HINT = 'H';
    public static final char ROUTINE = 'R';

    public ErrorFields {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static ErrorFields of(String severity, String sqlState, String message, String detail) {
        Map<Character, String> f = new LinkedHashMap<>();
        f.put(SEVERITY, severity);
        f.put(SEVERITY_NONLOCALIZED, severity);
        f.put(CODE, sqlState);
        f.put(MESSAGE, message);
        if (detail != null) {
            f.put(DETAIL, detail);
        }
        return new ErrorFields(f);
    }

    public String get(char code) {
        return fields.get(code);
    }

    /**
     * The non-localized severity (V, PostgreSQL 9.6 and later), else the possibly localized S;
     * null when neither is there.
     */
    public String severity() {
        return fields.getOrDefault(SEVERITY_NONLOCALIZED, fields.get(SEVERITY));
    }

    /** FATAL or PANIC: the server closes the connection after sending it. */
    public boolean isFatal() {
        String sev = severity();
        return "FATAL".equals(sev) || "PANIC".equals(sev);
    }

    static ErrorFields decode(Buffer body) {
        MessageReader r = new MessageReader(body, 0);
        Map<Character, String> f = new LinkedHashMap<>();
        while (true) {
            byte code = r.int8();
            if (code == 0) {
                return new ErrorFields(f);
            }
            f.put((char) code, r.cstring());
        }
    }

    Buffer encode(byte type) {
        MessageBuilder b = MessageBuilder.typed(type);
        fields.forEach((k, v) -> b.int8(k).cstring(v));
        return b.int8(0).build();
    }
}
