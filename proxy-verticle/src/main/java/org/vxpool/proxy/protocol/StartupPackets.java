package org.vxpool.proxy.protocol;

/** What a type-less start-up packet asks for, judged by its code word. */
public final class StartupPackets {
    private StartupPackets() {
    }

    public enum Kind { STARTUP, SSL_REQUEST, GSSENC_REQUEST, CANCEL_REQUEST }

    /**
     * Classifies a start-up code. Version 3.x is a StartupMessage (a minor above 0 is negotiated
     * down with NegotiateProtocolVersion, as PostgreSQL does); versions 1.x and 2.x are refused
     * with 0A000 like PostgreSQL 14+; anything else is not a PostgreSQL client (08P01).
     */
    public static Kind classify(int code) {
        switch (code) {
            case PgProtocol.SSL_REQUEST_CODE:
                return Kind.SSL_REQUEST;
            case PgProtocol.GSSENC_REQUEST_CODE:
                return Kind.GSSENC_REQUEST;
            case PgProtocol.CANCEL_REQUEST_CODE:
                return Kind.CANCEL_REQUEST;
            default:
                break;
        }
        int major = code >>> 16;
        int minor = code & 0xffff;
        if (major == 3) {
            return Kind.STARTUP;
        }
        if (major == 1 || major == 2) {
            throw new PgProtocolException(SqlState.FEATURE_NOT_SUPPORTED,
                    "unsupported frontend protocol " + major + "." + minor + ": server supports 3.0 to 3.0");
        }
        throw new PgProtocolException(SqlState.PROTOCOL_VIOLATION,
                "invalid startup packet: unknown protocol version " + major + "." + minor
                        + " (code " + code + "); is this a PostgreSQL client?");
    }
}
