package org.vxpool.proxy.ssl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

/**
 * One TLS handshake with ourselves over loopback at start-up. The first handshake of a cold JVM
 * took 6 s here (provider loading, key parsing, SecureRandom seeding, JIT); paying it before the
 * proxy listens keeps it off the first client's connect.
 */
public final class TlsWarmup {
    private TlsWarmup() {
    }

    public static Future<Void> warmUp(Vertx vertx, ClientTlsUpgrade server) {
        NetServerOptions plain = new NetServerOptions().setHost("127.0.0.1").setPort(0);
        NetServer listener = vertx.createNetServer(plain);
        // The very path of a client: SSLRequest, 'S' and upgradeToSsl with the proxy's options.
        listener.connectHandler(socket -> socket.handler(request -> {
            socket.handler(null);
            server.onSslRequest(socket);
        }));
        NetClient client = vertx.createNetClient(new NetClientOptions());
        return listener.listen()
                .compose(s -> client.connect(s.actualPort(), "127.0.0.1"))
                .compose(socket -> BackendTls.negotiate(socket, TlsSettings.backendOptions())
                        .compose(ssl -> ssl ? socket.close() : Future.failedFuture(
                                new IllegalStateException("TLS warm-up: loopback handshake did not happen"))))
                .eventually(() -> client.close())
                .eventually(() -> listener.close());
    }
}
