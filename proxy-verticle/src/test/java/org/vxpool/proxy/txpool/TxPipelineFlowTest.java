package org.vxpool.proxy.txpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vxpool.proxy.RawWire.query;
import static org.vxpool.proxy.RawWire.readUntilReady;
import static org.vxpool.proxy.RawWire.startup;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.Waits;

/**
 * Flow control with pipelining: a client at the head of a connection's queue that reads nothing
 * makes vxpool stop reading the backend (PostgreSQL waits in ClientWrite) instead of buffering its
 * answers, while another client's unit waits behind it; when that client goes away, the rest of
 * its answers are read and dropped and the unit behind gets its answer.
 */
class TxPipelineFlowTest {
    private static final String USER = "trusty";

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder()
            .user(USER, null, PasswordEncryption.NONE, true));

    @Test
    void aHeadClientThatReadsNothingHoldsTheBackendBackAndItsLeavingFreesTheQueue() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(PG.cluster(), s -> s.withTransactionPooling(1, 120_000).withTxPipelineDepth(4).withTxPipelineMaxAge(0), 1)) {
            // the first login of a shape is relayed and its connection pooled; the next ones start
            // without a backend and share its settings, so they may be pipelined on it
            try (Socket warmUp = open(proxy)) {
                warmUp.getOutputStream().write(query("SELECT 1"));
                assertThat(firstValue(new DataInputStream(warmUp.getInputStream()))).isEqualTo("1");
            }
            try (Socket head = open(proxy); Socket behind = open(proxy)) {
                long before = proxy.stats().getLong("txPipelined");
                // about 160 MB of answer, far beyond every socket buffer on the way
                head.getOutputStream().write(query("SELECT repeat('x', 8192) FROM generate_series(1, 20000) /* big-head */"));
                Waits.until(Duration.ofSeconds(30), "the backend blocked writing to vxpool", () -> "ClientWrite".equals(waitEvent()));
                behind.getOutputStream().write(query("SELECT 'behind'"));
                CompletableFuture<String> queued = CompletableFuture.supplyAsync(() -> {
                    try {
                        return firstValue(new DataInputStream(behind.getInputStream()));
                    } catch (IOException e) {
                        throw new CompletionException(e);
                    }
                });
                Waits.until(Duration.ofSeconds(20), "the unit pipelined", () -> proxy.stats().getLong("txPipelined") > before);
                Thread.sleep(500);
                assertThat(queued).as("waits behind the client that does not read").isNotDone();
                assertThat(waitEvent()).as("vxpool still does not read the backend").isEqualTo("ClientWrite");
                head.close();
                assertThat(queued.get(120, TimeUnit.SECONDS)).as("the head's answers were dropped, the queue went on").isEqualTo("behind");
                behind.getOutputStream().write(query("SELECT 'again'"));
                assertThat(firstValue(new DataInputStream(behind.getInputStream()))).isEqualTo("again");
            }
        }
    }

    private static String waitEvent() {
        return PG.cluster().primary().queryValue("SELECT wait_event FROM pg_stat_activity WHERE query LIKE '%big-head%'"
                + " AND pid <> pg_backend_pid()");
    }

    private static Socket open(ProxyFixture proxy) throws IOException {
        Socket s = new Socket("127.0.0.1", proxy.port);
        s.setSoTimeout(120_000);
        s.getOutputStream().write(startup(USER));
        readUntilReady(new DataInputStream(s.getInputStream()));
        return s;
    }

    /** The first column of the first row of a simple Query's answer, read up to its ReadyForQuery. */
    private static String firstValue(DataInputStream in) throws IOException {
        String value = null;
        while (true) {
            byte type = in.readByte();
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            assertThat((char) type).as("answer").isNotEqualTo('E');
            if (type == 'D' && value == null) {
                ByteBuffer b = ByteBuffer.wrap(body);
                b.getShort();
                int len = b.getInt();
                value = new String(body, b.position(), len, StandardCharsets.UTF_8);
            }
            if (type == 'Z') {
                return value;
            }
        }
    }

}
