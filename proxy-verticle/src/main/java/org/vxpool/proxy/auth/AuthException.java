package org.vxpool.proxy.auth;

/**
 * Authentication of a client (or by vxpool at a backend) failed. {@link #getMessage()} is what the
 * client may see, worded as PostgreSQL words it; {@link #logDetail()} says why, for the server log
 * only, so a client never learns whether a user exists or which check failed.
 */
public final class AuthException extends Exception {
    /** invalid_password. */
    public static final String INVALID_PASSWORD = "28P01";
    /** invalid_authorization_specification. */
    public static final String INVALID_AUTHORIZATION = "28000";
    /** protocol_violation. */
    public static final String PROTOCOL_VIOLATION = "08P01";
    /** feature_not_supported. */
    public static final String FEATURE_NOT_SUPPORTED = "0A000";

    private final String sqlState;
    private final String logDetail;

    public AuthException(String sqlState, String message, String logDetail) {
        super(message);
        this.sqlState = sqlState;
        this.logDetail = logDetail;
    }

    public String sqlState() {
        return sqlState;
    }

    /** Why it failed; for the log, never for the client. May be null. */
    public String logDetail() {
        return logDetail;
    }

    /** PostgreSQL's 28P01 for a wrong password, an unknown user, or a user without usable secret. */
    public static AuthException passwordFailed(String user, String logDetail) {
        return new AuthException(INVALID_PASSWORD,
                "password authentication failed for user \"" + user + "\"", logDetail);
    }

    /** PostgreSQL's wording for a SASL message that does not parse. */
    public static AuthException malformedScram(String detail) {
        return new AuthException(PROTOCOL_VIOLATION, "malformed SCRAM message", detail);
    }
}
