package org.vxpool.proxy.ssl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetSocket;
import org.vxpool.proxy.protocol.MessageBuilder;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.PgProtocolException;
import org.vxpool.proxy.protocol.SqlState;

/**
 * vxpool's side of SSLRequest on a fresh backend connection: asks, and upgrades when the backend
 * answers {@code S}. A backend that answers {@code N} is used in plain text, as pgpool does; one
 * whose pg_hba demands SSL then refuses the login itself.
 */
public final class BackendTls {
    private BackendTls() {
    }

    /** Completes with whether the socket is now TLS. Call before any other handler is set. */
    public static Future<Boolean> negotiate(NetSocket socket, ClientSSLOptions options) {
        Promise<Boolean> answered = Promise.promise();
        socket.handler(buf -> {
            socket.handler(null);
            socket.pause();
            if (buf.length() != 1) {
                // PostgreSQL sends exactly one byte; more means a pre-7.0 server or not PostgreSQL.
                answered.tryFail(refused("backend answered SSLRequest with " + buf.length() + " bytes"));
            } else if (buf.getByte(0) == 'S') {
                socket.upgradeToSsl(options).map(true).onComplete(answered);
            } else if (buf.getByte(0) == 'N') {
                answered.tryComplete(false);
            } else {
                answered.tryFail(refused("backend answered SSLRequest with '" + (char) buf.getByte(0) + "'"));
            }
        });
        socket.closeHandler(v -> answered.tryFail(refused("backend closed the connection during SSLRequest")));
        socket.write(sslRequest());
        return answered.future().onComplete(ar -> {
            socket.closeHandler(null);
            socket.resume();
        });
    }

    static Buffer sslRequest() {
        return MessageBuilder.untyped().int32(PgProtocol.SSL_REQUEST_CODE).build();
    }

    private static PgProtocolException refused(String why) {
        return new PgProtocolException(SqlState.CONNECTION_FAILURE, why);
    }
}
