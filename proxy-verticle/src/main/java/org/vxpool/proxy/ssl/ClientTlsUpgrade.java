package org.vxpool.proxy.ssl;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;
import org.vxpool.proxy.session.ClientTls;

/**
 * {@code ssl = on}: answers a client's SSLRequest with {@code S} and becomes its TLS server.
 *
 * <p>Why not {@code NetSocket.upgradeToSsl}: in Vert.x 5.0.7 only the first of several servers
 * sharing a port (one per ProxyVerticle instance) gets an SSL context manager, so upgrading a
 * socket accepted by any other instance throws a NullPointerException. We therefore install
 * Netty's {@link SslHandler} ourselves, under the name Vert.x uses ({@code "ssl"}), so that
 * {@code isSsl()} and {@code sslSession()} still work. The SSL context is built once, off the
 * event loop, in {@link #create}.
 */
public final class ClientTlsUpgrade implements ClientTls {
    private static final byte[] YES = {'S'};

    private final SslContext context;

    private ClientTlsUpgrade(SslContext context) {
        this.context = context;
    }

    /** Reads key, certificate and CA through Vert.x's PEM support. Blocking. */
    public static ClientTlsUpgrade create(Vertx vertx, ServerSSLOptions options) {
        try {
            SslContextBuilder builder = SslContextBuilder
                    .forServer(options.getKeyCertOptions().getKeyManagerFactory(vertx))
                    .sslProvider(SslProvider.JDK);
            if (options.getTrustOptions() != null) {
                builder.trustManager(options.getTrustOptions().getTrustManagerFactory(vertx))
                        .clientAuth(ClientAuth.OPTIONAL);
            }
            return new ClientTlsUpgrade(builder.build());
        } catch (Exception e) {
            throw new TlsConfigException(java.util.List.of("cannot load the TLS key or certificates: " + e));
        }
    }

    @Override
    public Future<Boolean> onSslRequest(NetSocket socket) {
        ChannelHandlerContext chctx = ((NetSocketInternal) socket).channelHandlerContext();
        Promise<Boolean> done = Promise.promise();
        // We run on the socket's event loop: the 'S' has left the pipeline before the TLS handler
        // goes in, and the client sends its ClientHello only after reading the 'S'.
        chctx.writeAndFlush(Unpooled.wrappedBuffer(YES));
        SslHandler ssl = context.newHandler(chctx.alloc());
        chctx.pipeline().addFirst("ssl", ssl);
        ssl.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                done.tryComplete(true);
            } else {
                done.tryFail(f.cause());
            }
        });
        return done.future();
    }
}
