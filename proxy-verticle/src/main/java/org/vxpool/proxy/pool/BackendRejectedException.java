package org.vxpool.proxy.pool;

import io.vertx.core.buffer.Buffer;
import org.vxpool.proxy.protocol.ErrorResponse;

/**
 * The backend refused a login or a set-up statement with an ErrorResponse, which the client
 * should receive verbatim (wrong password, unknown database, bad parameter value...).
 */
public class BackendRejectedException extends RuntimeException {
    private final transient Buffer rawError;
    private final transient ErrorResponse error;

    public BackendRejectedException(ErrorResponse error, Buffer rawError) {
        super(error.sqlState() + " " + error.message(), null, false, false);
        this.error = error;
        this.rawError = rawError;
    }

    public ErrorResponse error() {
        return error;
    }

    /** The ErrorResponse (B) as the backend sent it. */
    public Buffer rawError() {
        return rawError;
    }
}
