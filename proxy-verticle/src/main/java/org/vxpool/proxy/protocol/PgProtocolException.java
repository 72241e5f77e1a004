package org.vxpool.proxy.protocol;

/**
 * A protocol-level failure that reaches the client as an ErrorResponse with {@link #sqlState()}.
 * Start-up and framing errors are FATAL: the connection is closed after the response.
 */
public class PgProtocolException extends RuntimeException {
    private final String sqlState;

    public PgProtocolException(String sqlState, String message) {
        super(message, null, false, false);
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return sqlState;
    }

    /** The FATAL ErrorResponse (B) a client gets for this failure. */
    public ErrorResponse toErrorResponse() {
        return ErrorResponse.fatal(sqlState, getMessage());
    }
}
