package org.vxpool.proxy.session;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/** Answers a client's SSLRequest (F). The default refuses with 'N'; SSL support plugs in here. */
public interface ClientTls {

    /** Completes with true when the socket was upgraded to TLS (after answering 'S'). */
    Future<Boolean> onSslRequest(NetSocket socket);

    ClientTls NONE = socket -> socket.write(Buffer.buffer("N")).map(false);
}
