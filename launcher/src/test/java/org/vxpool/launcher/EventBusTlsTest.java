package org.vxpool.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: with {@code eventbus_ssl} the members' event buses talk TLS and require a client
 * certificate from the cluster's CA. Two members with such certificates exchange requests; a third
 * party that joined Hazelcast (open-source Hazelcast cannot stop it) reaches the fixed event-bus
 * port but cannot deliver a message, neither in plain text nor with a certificate from another CA.
 */
class EventBusTlsTest {
    private static final String ADDRESS = "vxpool.test.detach";
    /**
     * For a rogue, whose request must fail: any bound shows that. Each rogue request runs into it
     * (the TLS port drops the frame without an answer), so it is kept short; a late delivery would
     * still show in the count after the member's second request.
     */
    private static final long REQUEST_TIMEOUT_MS = 2_000;
    /**
     * For a member's request, which must succeed: the first one opens the TLS connection, and a
     * cold handshake took more than 5 s in CI at load average 24.
     */
    private static final long MEMBER_REQUEST_TIMEOUT_MS = 30_000;

    @TempDir
    Path dir;

    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        nodes.forEach(n -> n.stop(ShutdownMode.IMMEDIATE));
    }

    @Test
    void onlyMembersWithACertificateOfTheClusterCaCanDeliverMessages() throws Exception {
        TestCertificates certs = new TestCertificates(dir);
        TestCertificates.Pair ca = certs.authority("cluster-ca");
        TestCertificates.Pair otherCa = certs.authority("other-ca");
        int[] wd = freePorts(4);
        int[] eventBus = freePorts(2);
        List<String> members = IntStream.of(wd).mapToObj(p -> "127.0.0.1:" + p).toList();

        Node a = start(wd[0], members, new EventBusSettings("", eventBus[0], tls(certs.signedBy(ca, "a"), ca)));
        Node b = start(wd[1], members, new EventBusSettings("127.0.0.1", eventBus[1], tls(certs.signedBy(ca, "b"), ca)));
        AtomicInteger delivered = new AtomicInteger();
        b.vertx().eventBus().<String>consumer(ADDRESS, m -> {
            delivered.incrementAndGet();
            m.reply("detached " + m.body());
        }).completion().await(30, TimeUnit.SECONDS);
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", eventBus[1]), 2000);
        }

        assertThat(request(a, "node 1", MEMBER_REQUEST_TIMEOUT_MS).body()).isEqualTo("detached node 1");
        assertThat(delivered).as("a member with the CA's certificate delivers").hasValue(1);

        // Both rogues join Hazelcast, so they know B's event-bus address and the consumer.
        Node plain = start(wd[2], members, EventBusSettings.DEFAULT);
        Node wrongCa = start(wd[3], members, new EventBusSettings("", 0, tls(certs.signedBy(otherCa, "rogue"), ca)));
        assertThatThrownBy(() -> request(plain, "node 0", REQUEST_TIMEOUT_MS)).as("plain-text frame to the TLS port");
        assertThatThrownBy(() -> request(wrongCa, "node 0", REQUEST_TIMEOUT_MS)).as("certificate signed by another CA");
        assertThat(delivered).as("the handler never fired for the rogues").hasValue(1);

        assertThat(request(a, "node 1 again", MEMBER_REQUEST_TIMEOUT_MS).body()).isEqualTo("detached node 1 again");
        assertThat(delivered).hasValue(2);
    }

    private Node start(int wdPort, List<String> members, EventBusSettings eventBus) throws LaunchException {
        // Named after the first member's port: no other test's cluster on loopback shares it.
        ClusterSettings settings = new ClusterSettings("vxpool-tls-" + members.get(0), "127.0.0.1", wdPort, members, 1, 5)
                .withEventBus(eventBus);
        Node node = Node.start(Optional.of(settings), List.of());
        nodes.add(node);
        return node;
    }

    private static Optional<EventBusSettings.Tls> tls(TestCertificates.Pair own, TestCertificates.Pair ca) {
        return Optional.of(new EventBusSettings.Tls(own.cert(), own.key(), ca.cert()));
    }

    private static Message<String> request(Node from, String body, long timeoutMs) throws Exception {
        return from.vertx().eventBus().<String>request(ADDRESS, body, new DeliveryOptions().setSendTimeout(timeoutMs))
                .await(timeoutMs + 5_000, TimeUnit.MILLISECONDS);
    }

    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                held.add(s);
            }
            return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }
}
