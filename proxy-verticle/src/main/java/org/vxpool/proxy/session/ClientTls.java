package org.vxpool.proxy.session;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/** Answers a client's SSLRequest (F). The default refuses with 'N'; SSL support plugs in here. */
public interface ClientTls {

    /** Adjusts the listener's options (e.g. key and certificate for {@code upgradeToSsl}). */
    default NetServerOptions configure(NetServerOptions options) {
        return options;
    }

    /** Completes with true when the socket was upgraded to TLS (after answering 'S'). */
    Future<Boolean> onSslRequest(NetSocket socket);

    ClientTls NONE = socket -> socket.write(Buffer.buffer("N")).map(false);
}
