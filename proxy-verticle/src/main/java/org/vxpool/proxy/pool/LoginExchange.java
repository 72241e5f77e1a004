package org.vxpool.proxy.pool;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import org.vxpool.proxy.protocol.Authentication;
import org.vxpool.proxy.protocol.BackendKeyData;
import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.proxy.protocol.FrameListener;
import org.vxpool.proxy.protocol.ParameterStatus;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.PgProtocolException;
import org.vxpool.proxy.protocol.SqlState;

/**
 * Drives a fresh backend connection from StartupMessage to its first ReadyForQuery: answers
 * authentication through a {@link BackendAuthenticator}, records ParameterStatus and
 * BackendKeyData.
 */
final class LoginExchange implements FrameListener {
    private final BackendConnection conn;
    private final BackendAuthenticator auth;
    private final Promise<Boolean> done;
    private boolean challenged;

    /** @param done completes with whether the backend asked for any credentials */
    LoginExchange(BackendConnection conn, BackendAuthenticator auth, Promise<Boolean> done) {
        this.conn = conn;
        this.auth = auth;
        this.done = done;
    }

    @Override
    public void onFrame(byte type, Buffer src, int start, int length) {
        Buffer body = src.slice(start + 5, start + length);
        switch (type) {
            case PgProtocol.Backend.AUTHENTICATION -> authentication(Authentication.decode(body), src.slice(start, start + length));
            case PgProtocol.Backend.PARAMETER_STATUS -> {
                ParameterStatus ps = ParameterStatus.decode(body);
                conn.parameterStatus(ps.name(), ps.value());
            }
            case PgProtocol.Backend.BACKEND_KEY_DATA -> conn.keyData = BackendKeyData.decode(body);
            case PgProtocol.Backend.READY_FOR_QUERY -> {
                conn.readyReceived(body.getByte(0));
                done.tryComplete(challenged);
            }
            case PgProtocol.Backend.ERROR_RESPONSE ->
                    done.tryFail(new BackendRejectedException(ErrorResponse.decode(body), src.slice(start, start + length).copy()));
            case PgProtocol.Backend.NOTICE_RESPONSE, PgProtocol.Backend.NEGOTIATE_PROTOCOL_VERSION -> {
                // a start-up notice or negotiation changes nothing for us: we always speak 3.0
            }
            default -> done.tryFail(new PgProtocolException(SqlState.PROTOCOL_VIOLATION,
                    "unexpected message '" + (char) type + "' from backend during login"));
        }
    }

    private void authentication(Authentication request, Buffer raw) {
        if (request.code() == PgProtocol.Auth.OK) {
            auth.accepted(raw.copy());
            return;
        }
        challenged = true;
        auth.answer(request, raw.copy()).onComplete(ar -> {
            if (ar.failed()) {
                done.tryFail(ar.cause());
            } else if (ar.result() != null) {
                conn.send(ar.result());
            }
        });
    }

    @Override
    public void onProtocolError(PgProtocolException e) {
        done.tryFail(e);
    }
}
