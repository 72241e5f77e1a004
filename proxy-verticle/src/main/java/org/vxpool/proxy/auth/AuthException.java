package org.vxpool.proxy.auth;

import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.proxy.protocol.PgProtocolException;
import org.vxpool.proxy.protocol.SqlState;

/**
 * Authentication of a client (or by vxpool at a backend) failed. {@link #getMessage()} is what the
 * client sees, worded as PostgreSQL words it. {@link #logDetail()} says why, for the server log;
 * it reaches the client only for protocol violations, where PostgreSQL sends it as DETAIL too.
 * Wrong password, unknown user and unusable secret therefore look the same to a client.
 */
public final class AuthException extends PgProtocolException {
    private final String logDetail;

    public AuthException(String sqlState, String message, String logDetail) {
        super(sqlState, message);
        this.logDetail = logDetail;
    }

    /** Why it failed; may be null. */
    public String logDetail() {
        return logDetail;
    }

    @Override
    public ErrorResponse toErrorResponse() {
        return SqlState.PROTOCOL_VIOLATION.equals(sqlState()) && logDetail != null
                ? ErrorResponse.fatal(sqlState(), getMessage(), logDetail)
                : ErrorResponse.fatal(sqlState(), getMessage());
    }

    /** PostgreSQL's 28P01 for a wrong password, an unknown user, or a user without usable secret. */
    public static AuthException passwordFailed(String user, String logDetail) {
        return new AuthException(SqlState.INVALID_PASSWORD,
                "password authentication failed for user \"" + user + "\"", logDetail);
    }

    /** PostgreSQL's wording for a SASL message that does not parse. */
    public static AuthException malformedScram(String detail) {
        return new AuthException(SqlState.PROTOCOL_VIOLATION, "malformed SCRAM message", detail);
    }
}
