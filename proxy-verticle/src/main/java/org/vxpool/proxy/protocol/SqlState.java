package org.vxpool.proxy.protocol;

/** The SQLSTATE codes vxpool itself sends to clients. */
public final class SqlState {
    private SqlState() {
    }

    public static final String WARNING = "01000";
    public static final String PROTOCOL_VIOLATION = "08P01";
    public static final String CONNECTION_FAILURE = "08006";
    public static final String CONNECTION_EXCEPTION = "08000";
    public static final String FEATURE_NOT_SUPPORTED = "0A000";
    public static final String TOO_MANY_CONNECTIONS = "53300";
    public static final String CANNOT_CONNECT_NOW = "57P03";
    public static final String ADMIN_SHUTDOWN = "57P01";
    public static final String IDLE_SESSION_TIMEOUT = "57P05";
    public static final String INVALID_AUTHORIZATION = "28000";
    public static final String INVALID_PASSWORD = "28P01";
    public static final String INVALID_CATALOG_NAME = "3D000";
    public static final String INTERNAL_ERROR = "XX000";
    public static final String SYNTAX_ERROR = "42601";
    /** PostgreSQL's undefined_object: an unknown configuration parameter. */
    public static final String UNDEFINED_OBJECT = "42704";
    public static final String INVALID_PARAMETER_VALUE = "22023";
    /** A parameter that cannot be changed now (here: not with PGPOOL SET). */
    public static final String CANT_CHANGE_RUNTIME_PARAM = "55P02";
}
