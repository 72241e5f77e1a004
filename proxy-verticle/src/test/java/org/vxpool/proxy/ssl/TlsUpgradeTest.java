package org.vxpool.proxy.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.config.PoolConfig;

/** vxpool's two TLS roles talking to each other: SSLRequest, 'S', upgrade, encrypted bytes. */
class TlsUpgradeTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;
    static Vertx vertx;

    @BeforeAll
    static void setUp() throws Exception {
        certs = TestCertificates.create(dir);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void tearDown() throws Exception {
        await(vertx.close());
    }

    private static final String BACKEND = "backend_hostname0 = '127.0.0.1'\nbackend_port0 = 5432\n";

    private static PoolConfig config(String extra) {
        return PoolConfig.parse(BACKEND + "ssl = on\nssl_cert = '" + certs.cert() + "'\nssl_key = '" + certs.key() + "'\n" + extra,
                dir.resolve("pgpool.conf").toString());
    }

    /** A server that speaks like a PostgreSQL accepting or refusing SSLRequest, then echoes. */
    private static NetServer server(ServerSSLOptions options, boolean accept, Promise<Boolean> upgraded) {
        NetServer server = vertx.createNetServer();
        server.connectHandler(socket -> socket.handler(first -> {
            socket.handler(null);
            assertThat(first).isEqualTo(BackendTls.sslRequest());
            Future<Boolean> answer = accept ? ClientTlsUpgrade.create(vertx, options).onSslRequest(socket)
                    : socket.write(Buffer.buffer("N")).map(false);
            answer.onComplete(ar -> {
                upgraded.handle(ar.map(v -> socket.isSsl()));
                socket.handler(socket::write);
            });
        }));
        return server;
    }

    @Test
    void sslRequestIsAnsweredAndBothSidesUpgrade() throws Exception {
        TlsSettings tls = TlsSettings.from(config(""));
        Promise<Boolean> serverSide = Promise.promise();
        NetServer server = await(server(tls.server().orElseThrow(), true, serverSide).listen(0, "127.0.0.1"));
        try {
            NetSocket socket = await(vertx.createNetClient().connect(server.actualPort(), "127.0.0.1"));
            assertThat(await(BackendTls.negotiate(socket, tls.backend().orElseThrow()))).isTrue();
            assertThat(socket.isSsl()).isTrue();
            assertThat(await(serverSide.future())).isTrue();
            Promise<Buffer> echoed = Promise.promise();
            socket.handler(echoed::tryComplete);
            socket.write(Buffer.buffer("SELECT 1"));
            assertThat(await(echoed.future()).toString()).isEqualTo("SELECT 1");
            assertThat(socket.sslSession().getProtocol()).startsWith("TLS");
        } finally {
            await(server.close());
        }
    }

    @Test
    void withSslCaCertAClientWithoutCertificateStillConnects() throws Exception {
        // pgpool and PostgreSQL request a client certificate when a CA is set; sending none is fine.
        TlsSettings tls = TlsSettings.from(config("ssl_ca_cert = '" + certs.cert() + "'\n"));
        assertThat(tls.server().orElseThrow().getClientAuth()).isEqualTo(io.vertx.core.http.ClientAuth.REQUEST);
        Promise<Boolean> serverSide = Promise.promise();
        NetServer server = await(server(tls.server().orElseThrow(), true, serverSide).listen(0, "127.0.0.1"));
        try {
            NetSocket socket = await(vertx.createNetClient().connect(server.actualPort(), "127.0.0.1"));
            assertThat(await(BackendTls.negotiate(socket, tls.backend().orElseThrow()))).isTrue();
            assertThat(await(serverSide.future())).isTrue();
        } finally {
            await(server.close());
        }
    }

    @Test
    void refusedSslRequestLeavesThePlainConnectionUsable() throws Exception {
        Promise<Boolean> serverSide = Promise.promise();
        NetServer server = await(server(null, false, serverSide).listen(0, "127.0.0.1"));
        try {
            NetSocket socket = await(vertx.createNetClient().connect(server.actualPort(), "127.0.0.1"));
            assertThat(await(BackendTls.negotiate(socket, TlsSettings.backendOptions()))).isFalse();
            assertThat(socket.isSsl()).isFalse();
            Promise<Buffer> echoed = Promise.promise();
            socket.handler(echoed::tryComplete);
            socket.write(Buffer.buffer("plain"));
            assertThat(await(echoed.future()).toString()).isEqualTo("plain");
        } finally {
            await(server.close());
        }
    }

    @Test
    void warmUpHandshakesWithItself() throws Exception {
        await(TlsWarmup.warmUp(vertx, ClientTlsUpgrade.create(vertx, TlsSettings.from(config("")).server().orElseThrow())));
    }

    @Test
    void sslOffMeansNoOptionsAndBadFilesAreNamed() {
        assertThat(TlsSettings.from(PoolConfig.parse(BACKEND + "ssl = off\n", dir.resolve("a.conf").toString())))
                .isEqualTo(TlsSettings.OFF);
        String conf = dir.resolve("b.conf").toString();
        assertThatThrownBy(() -> TlsSettings.from(PoolConfig.parse(BACKEND
                + "ssl = on\nssl_cert = '" + certs.cert() + "'\nssl_key = 'missing.key'\n"
                + "ssl_ca_cert = '/nonexistent/ca.crt'\n", conf)))
                .isInstanceOf(TlsConfigException.class)
                .hasMessage(conf + ": ssl_key: cannot read \"" + dir.resolve("missing.key") + "\"\n"
                        + conf + ": ssl_ca_cert: cannot read \"/nonexistent/ca.crt\"");
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
