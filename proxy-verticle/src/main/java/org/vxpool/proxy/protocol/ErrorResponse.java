package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/** ErrorResponse (B): severity, SQLSTATE, message and optional detail fields. */
public record ErrorResponse(ErrorFields fields) {

    public static ErrorResponse fatal(String sqlState, String message) {
        return new ErrorResponse(ErrorFields.of("FATAL", sqlState, message, null));
    }

    public static ErrorResponse fatal(String sqlState, String message, String detail) {
        return new ErrorResponse(ErrorFields.of("FATAL", sqlState, message, detail));
    }

    public static ErrorResponse error(String sqlState, String message) {
        return new ErrorResponse(ErrorFields.of("ERROR", sqlState, message, null));
    }

    public static ErrorResponse error(String sqlState, String message, String detail) {
        return new ErrorResponse(ErrorFields.of("ERROR", sqlState, message, detail));
    }

    public static ErrorResponse decode(Buffer body) {
        return new ErrorResponse(ErrorFields.decode(body));
    }

    public String sqlState() {
        return fields.get(ErrorFields.CODE);
    }

    public String message() {
        return fields.get(ErrorFields.MESSAGE);
    }

    public boolean isFatal() {
        return fields.isFatal();
    }

    /** The same error with severity FATAL, for errors that end a start-up. */
    public ErrorResponse asFatal() {
        return withSeverity("FATAL", null);
    }

    /**
     * The same error with severity ERROR, for a backend's FATAL that ends only the backend
     * connection and not the client's session (transaction pooling); {@code detail} is added
     * when the backend gave none.
     */
    public ErrorResponse asError(String detail) {
        return withSeverity("ERROR", detail);
    }

    private ErrorResponse withSeverity(String severity, String detail) {
        java.util.Map<Character, String> f = new java.util.LinkedHashMap<>(fields.fields());
        f.put(ErrorFields.SEVERITY, severity);
        if (f.containsKey(ErrorFields.SEVERITY_NONLOCALIZED)) {
            f.put(ErrorFields.SEVERITY_NONLOCALIZED, severity);
        }
        if (detail != null) {
            f.putIfAbsent(ErrorFields.DETAIL, detail);
        }
        return new ErrorResponse(new ErrorFields(f));
    }

    public Buffer encode() {
        return fields.encode(PgProtocol.Backend.ERROR_RESPONSE);
    }
}
