package org.vxpool.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vxpool.proxy.RawWire.query;
import static org.vxpool.proxy.RawWire.readUntilReady;
import static org.vxpool.proxy.RawWire.startup;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.common.config.DisableLoadBalanceOnWrite;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.ProxyVerticle;
import org.vxpool.proxy.routing.RoutingSettings;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.PgNode;

/**
 * Back-pressure while balancing, on the standby connection: a client that sends reads without
 * reading the answers must stop being read once the standby cannot take more, instead of vxpool
 * queueing everything it sends; and the standby must stop being read while the client cannot take
 * the answers. Checked by vxpool's own state and by the client's writes blocking, not by timing.
 */
class BalancedBackPressureTest {
    private static final String USER = "trusty";
    /** Enough answer bytes that the standby blocks writing them while the client reads nothing. */
    private static final int BIG_ANSWERS = 100;
    /** Query text far beyond every socket buffer on the way, with next to nothing to answer. */
    private static final int PADDED_QUERIES = 2500;
    private static final int PAD = 64 * 1024;

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1)
            .user(USER, null, PasswordEncryption.NONE, true));

    @Test
    void aClientThatDoesNotReadStopsBeingReadAndTheStandbyToo() throws Exception {
        PgCluster c = PG.cluster();
        PgNode standby = c.nodes().stream().filter(n -> n != c.primary()).findFirst().orElseThrow();
        List<BackendNode> nodes = new ArrayList<>();
        for (PgNode n : c.nodes()) {
            // every read goes to the standby
            nodes.add(new BackendNode(n.id(), n.host(), n.port(), n == standby ? 1 : 0, NodeStatus.UP,
                    n == c.primary() ? NodeRole.PRIMARY : NodeRole.STANDBY, 1_700_000_000_000L));
        }
        RoutingSettings balancing = new RoutingSettings(true, false, DisableLoadBalanceOnWrite.TRANSACTION, false, false,
                true, 0, 0, false, List.of(), List.of(), List.of(), List.of(), List.of());
        try (ProxyFixture proxy = ProxyFixture.start(new ClusterView(1, nodes), s -> s, 1,
                s -> new ProxyVerticle(s, new TrustPassThroughAuthenticator(), ClientTls.NONE, null, balancing))) {
            // the first login of a user is relayed; vxpool learns the backend trusts it and balances the next
            try (Connection warmUp = DriverManager.getConnection(proxy.jdbcUrl("postgres"), USER, "")) {
                warmUp.createStatement().execute("select 1");
            }
            try (Socket client = new Socket("127.0.0.1", proxy.port)) {
                client.setSoTimeout(60_000);
                DataInputStream in = new DataInputStream(client.getInputStream());
                OutputStream out = client.getOutputStream();
                out.write(startup(USER));
                out.flush();
                readUntilReady(in);

                AtomicLong written = new AtomicLong();
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> sendQueries(out, written));
                ClientSession session = awaitSessionOn(proxy, standby.id());
                var standbySocket = session.backend(standby.id()).socket();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!(session.flow.backendPaused(standbySocket) && session.flow.clientPausedBy(standbySocket))) {
                    assertThat(System.nanoTime()).as("vxpool never paused both directions; %d bytes sent", written.get())
                            .isLessThan(deadline);
                    assertThat(writer).as("every query was taken without the client reading an answer").isNotDone();
                    Thread.sleep(50);
                }
                long total = (long) BIG_ANSWERS * queryBytes(bigQuery()) + (long) PADDED_QUERIES * queryBytes(paddedQuery());
                assertThat(writer).isNotDone();
                assertThat(written.get()).isLessThan(total);

                // reading the answers lets everything through, in order and complete
                int[] counts = readAnswers(in, BIG_ANSWERS + PADDED_QUERIES);
                writer.get(60, TimeUnit.SECONDS);
                assertThat(counts[0]).as("ReadyForQuery").isEqualTo(BIG_ANSWERS + PADDED_QUERIES);
                assertThat(counts[1]).as("ErrorResponse").isZero();
                assertThat(session.flow.backendPaused(standbySocket)).isFalse();
                assertThat(session.flow.clientPausedBy(standbySocket)).isFalse();
            }
        }
    }

    private static ClientSession awaitSessionOn(ProxyFixture proxy, int node) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (ClientSession s : ProxyRuntime.of(proxy.vertx).allSessions()) {
                if (s.nodeIds().contains(node)) {
                    return s;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no session opened a connection to node " + node);
    }

    private static String bigQuery() {
        return "SELECT repeat('x', 1000000)";
    }

    private static String paddedQuery() {
        return "SELECT 1 -- " + "p".repeat(PAD);
    }

    private static void sendQueries(OutputStream out, AtomicLong written) {
        try {
            byte[] big = query(bigQuery());
            byte[] padded = query(paddedQuery());
            for (int i = 0; i < BIG_ANSWERS; i++) {
                out.write(big);
                written.addAndGet(big.length);
            }
            for (int i = 0; i < PADDED_QUERIES; i++) {
                out.write(padded);
                written.addAndGet(padded.length);
            }
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int queryBytes(String sql) {
        return query(sql).length;
    }

    /** Reads until {@code expected} ReadyForQuery; returns {ReadyForQuery, ErrorResponse} counts. */
    private static int[] readAnswers(DataInputStream in, int expected) throws IOException {
        int[] counts = new int[2];
        while (counts[0] < expected) {
            byte type = in.readByte();
            int len = in.readInt();
            in.skipNBytes(len - 4);
            if (type == 'Z') {
                counts[0]++;
            } else if (type == 'E') {
                counts[1]++;
            }
        }
        return counts;
    }
}
