package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vxpool.common.Addresses;
import org.vxpool.launcher.ClusterSettings;
import org.vxpool.launcher.HazelcastConfigFactory;
import org.vxpool.proxy.ProxySettings;
import org.vxpool.proxy.ProxyVerticle;
import org.vxpool.proxy.cancel.CancelRegistry;
import org.vxpool.testkit.FreePorts;

/**
 * Guessed cancel keys sent to one clustered vxpool node cost at most one event-bus message each,
 * only towards the node whose tag the pid carries, and the receiving node never passes them on.
 * Two clustered Vert.x instances in this JVM, each with its proxy; no backend is needed.
 */
class CancelForwardingBoundsTest {
    private static final int GUESSES = 20;

    private final List<Vertx> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Vertx v : started) {
            v.close().await(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void wrongKeysAreForwardedOnceToTheTaggedNodeAndNoFurther() throws Exception {
        int hzA = FreePorts.find();
        int hzB = FreePorts.find();
        String cluster = "cancel-bounds-" + UUID.randomUUID();
        List<String> members = List.of("127.0.0.1:" + hzA, "127.0.0.1:" + hzB);
        Vertx a = clustered(new ClusterSettings(cluster, "127.0.0.1", hzA, members, 1, 5));
        Vertx b = clustered(new ClusterSettings(cluster, "127.0.0.1", hzB, members, 1, 5));
        int proxyB = FreePorts.find();
        a.deployVerticle(new ProxyVerticle(ProxySettings.defaults("127.0.0.1", FreePorts.find()))).await(30, TimeUnit.SECONDS);
        b.deployVerticle(new ProxyVerticle(ProxySettings.defaults("127.0.0.1", proxyB))).await(30, TimeUnit.SECONDS);

        AtomicInteger sentByA = cancelSends(a);
        AtomicInteger sentByB = cancelSends(b);
        AtomicInteger receivedByA = new AtomicInteger();
        a.eventBus().addInboundInterceptor(ctx -> {
            if (ctx.message().address().startsWith(Addresses.CANCEL_PREFIX)) {
                receivedByA.incrementAndGet();
            }
            ctx.next();
        });
        int tagA = CancelRegistry.tagOf(nodeId(a));
        int tagB = CancelRegistry.tagOf(nodeId(b));
        int nobody = 0;
        while (nobody == tagA || nobody == tagB) {
            nobody++;
        }
        // the cluster's subscription map may take a moment to show A's consumer to B
        awaitDelivered(proxyB, tagA, receivedByA);

        SplittableRandom random = new SplittableRandom();
        int before = sentByB.get();
        int receivedBefore = receivedByA.get();
        for (int i = 0; i < GUESSES; i++) {
            sendCancel(proxyB, pid(tagA), random.nextInt());
            sendCancel(proxyB, pid(nobody), random.nextInt());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (receivedByA.get() < receivedBefore + GUESSES && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(300);
        assertThat(receivedByA.get() - receivedBefore).isEqualTo(GUESSES);
        assertThat(sentByB.get() - before).as("one message per guess with A's tag, none for an unknown tag")
                .isEqualTo(GUESSES);
        assertThat(sentByA.get()).as("a forwarded cancel is never forwarded again").isZero();
    }

    private Vertx clustered(ClusterSettings settings) throws Exception {
        Vertx vertx = Vertx.builder()
                .withClusterManager(new HazelcastClusterManager(HazelcastConfigFactory.create(settings)))
                .buildClustered().await(60, TimeUnit.SECONDS);
        started.add(vertx);
        return vertx;
    }

    private static String nodeId(Vertx vertx) {
        return ((VertxInternal) vertx).clusterManager().getNodeId();
    }

    private static AtomicInteger cancelSends(Vertx vertx) {
        AtomicInteger count = new AtomicInteger();
        vertx.eventBus().addOutboundInterceptor(ctx -> {
            if (ctx.message().address().startsWith(Addresses.CANCEL_PREFIX)) {
                count.incrementAndGet();
            }
            ctx.next();
        });
        return count;
    }

    private static void awaitDelivered(int proxyPort, int tag, AtomicInteger received) throws Exception {
        SplittableRandom random = new SplittableRandom();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.get() == 0) {
            assertThat(System.nanoTime()).as("no cancel request ever reached node A").isLessThan(deadline);
            sendCancel(proxyPort, pid(tag), random.nextInt());
            Thread.sleep(200);
        }
    }

    /** A pid such as a node with {@code tag} issues. */
    private static int pid(int tag) {
        return new CancelRegistry(tag).register(List::of).processId();
    }

    private static void sendCancel(int port, int pid, int secret) throws Exception {
        try (Socket s = new Socket()) {
            // Generous: the proxy closes at once, but a loaded machine (CI saw a load average of 31)
            // can stall a JVM for seconds.
            s.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(ByteBuffer.allocate(16).putInt(16).putInt(80877102).putInt(pid).putInt(secret).array());
            InputStream in = s.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
        }
    }
}
