package org.vxpool.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.transport.Transport;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AcceptOnEventLoopsTest {

    @Test
    void connectionsAreAcceptedAndServedWithoutAnAcceptorThreadAndVertxCloses() throws Exception {
        assumeTrue(Transport.EPOLL.available(), "native epoll transport not available here");
        Transport transport = AcceptOnEventLoops.choose();
        assertThat(transport).isNotNull();
        Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(2)).withTransport(transport).build();
        Set<String> servingThreads = ConcurrentHashMap.newKeySet();
        try {
            assertThat(vertx.isNativeTransportEnabled()).isTrue();
            NetServer server = vertx.createNetServer().connectHandler(socket -> echo(socket, servingThreads));
            int port = server.listen(0, "127.0.0.1").await().actualPort();
            for (int i = 0; i < 6; i++) {
                try (Socket client = new Socket("127.0.0.1", port)) {
                    client.setSoTimeout(5000);
                    OutputStream out = client.getOutputStream();
                    out.write(("ping" + i).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = client.getInputStream();
                    assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("ping" + i);
                }
            }
            assertThat(servingThreads).isNotEmpty().allMatch(t -> t.startsWith("vert.x-eventloop-thread-"));
            VertxInternal internal = (VertxInternal) vertx;
            assertThat(internal.acceptorEventLoopGroup()).isSameAs(internal.eventLoopGroup());
        } finally {
            // The shared group is shut down twice (as acceptor, then as I/O group): close must still end.
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        assertThat(((VertxInternal) vertx).eventLoopGroup().isTerminated()).isTrue();
    }

    @Test
    void withoutItVertxKeepsItsAcceptorGroup() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            VertxInternal internal = (VertxInternal) vertx;
            assertThat(internal.acceptorEventLoopGroup()).isNotSameAs(internal.eventLoopGroup());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void thePropertyTurnsItOffAndABadValueIsNamed() {
        String before = System.getProperty(AcceptOnEventLoops.PROPERTY);
        try {
            System.setProperty(AcceptOnEventLoops.PROPERTY, "false");
            assertThat(AcceptOnEventLoops.choose()).isNull();
        } finally {
            if (before == null) {
                System.clearProperty(AcceptOnEventLoops.PROPERTY);
            } else {
                System.setProperty(AcceptOnEventLoops.PROPERTY, before);
            }
        }
        assertThat(AcceptOnEventLoops.problem(null)).isEmpty();
        assertThat(AcceptOnEventLoops.problem(" TRUE ")).isEmpty();
        assertThat(AcceptOnEventLoops.problem("false")).isEmpty();
        assertThat(AcceptOnEventLoops.problem("yes"))
                .contains("-Dvxpool.accept_on_event_loop=yes: true or false expected");
    }

    private static void echo(NetSocket socket, Set<String> servingThreads) {
        servingThreads.add(Thread.currentThread().getName());
        socket.handler((Buffer data) -> {
            servingThreads.add(Thread.currentThread().getName());
            socket.write(data);
        });
    }
}
