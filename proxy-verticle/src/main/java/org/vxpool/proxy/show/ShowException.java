package org.vxpool.proxy.show;

import org.vxpool.proxy.protocol.ErrorResponse;

/** A SHOW or PGPOOL command the client got wrong; reaches the client as an ERROR with this SQLSTATE. */
public final class ShowException extends RuntimeException {
    private final String sqlState;
    private final String detail;

    ShowException(String sqlState, String message) {
        this(sqlState, message, null);
    }

    ShowException(String sqlState, String message, String detail) {
        super(message, null, false, false);
        this.sqlState = sqlState;
        this.detail = detail;
    }

    public String sqlState() {
        return sqlState;
    }

    ErrorResponse toErrorResponse() {
        return detail == null ? ErrorResponse.error(sqlState, getMessage()) : ErrorResponse.error(sqlState, getMessage(), detail);
    }
}
