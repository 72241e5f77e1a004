package org.vxpool.proxy.ssl;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;
import org.vxpool.proxy.session.ClientTls;

/** {@code ssl = on}: answers a client's SSLRequest with {@code S} and starts TLS as its server. */
public final class ClientTlsUpgrade implements ClientTls {
    private static final Buffer YES = Buffer.buffer("S");

    private final ServerSSLOptions options;

    public ClientTlsUpgrade(ServerSSLOptions options) {
        this.options = options;
    }

    @Override
    public Future<Boolean> onSslRequest(NetSocket socket) {
        // The 'S' goes out in the same step that installs the TLS handler, so the client's
        // ClientHello can never reach the plain-text decoder.
        return socket.upgradeToSsl(options, YES.copy()).map(true);
    }
}
