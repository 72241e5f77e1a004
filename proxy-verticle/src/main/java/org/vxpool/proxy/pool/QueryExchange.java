package org.vxpool.proxy.pool;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.proxy.protocol.FrameListener;
import org.vxpool.proxy.protocol.ParameterStatus;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.PgProtocolException;

/**
 * Runs vxpool's own simple queries on a backend (reset_query_list, set_config): waits for one
 * ReadyForQuery per query, keeps ParameterStatus changes, and fails with the first error.
 */
final class QueryExchange implements FrameListener {
    private final BackendConnection conn;
    private final Promise<Void> done;
    private int expected;
    private BackendRejectedException firstError;

    QueryExchange(BackendConnection conn, int expected, Promise<Void> done) {
        this.conn = conn;
        this.expected = expected;
        this.done = done;
    }

    @Override
    public void onFrame(byte type, Buffer src, int start, int length) {
        switch (type) {
            case PgProtocol.Backend.READY_FOR_QUERY -> {
                conn.readyReceived(src.getByte(start + 5));
                if (--expected == 0) {
                    if (firstError == null) {
                        done.tryComplete();
                    } else {
                        done.tryFail(firstError);
                    }
                }
            }
            case PgProtocol.Backend.PARAMETER_STATUS -> {
                ParameterStatus ps = ParameterStatus.decode(src.slice(start + 5, start + length));
                conn.parameterStatus(ps.name(), ps.value());
            }
            case PgProtocol.Backend.ERROR_RESPONSE -> {
                if (firstError == null) {
                    firstError = new BackendRejectedException(ErrorResponse.decode(src.slice(start + 5, start + length)),
                            src.slice(start, start + length).copy());
                }
            }
            default -> {
                // rows, command tags and notices of our own statements are not the client's business
            }
        }
    }

    @Override
    public void onProtocolError(PgProtocolException e) {
        done.tryFail(e);
    }
}
