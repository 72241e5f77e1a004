package org.vxpool.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.VertxConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.PgNode;
import org.vxpool.testkit.Waits;

/**
 * Backend writes of transaction pooling flushed once per event-loop batch ({@link FlushBatch}):
 * two units written to one PostgreSQL connection in one task of its event loop stay in the
 * channel until the task is over and then leave together; PostgreSQL answers both, in order. A
 * writer without batching sends each unit at once (the control).
 */
class FlushBatchTest {
    private static final String USER = "trusty";

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder()
            .user(USER, null, PasswordEncryption.NONE, true));

    @Test
    void unitsWrittenInOneLoopTaskLeaveAfterItTogetherAndAreAnsweredInOrder() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        NetSocket socket = null;
        try {
            PgNode pg = PG.cluster().primary();
            socket = vertx.createNetClient().connect(pg.port(), pg.host())
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            List<String> answers = new CopyOnWriteArrayList<>();
            socket.handler(new Answers(answers)::add);
            socket.write(startup());
            Waits.until(Duration.ofSeconds(30), "logged in", () -> answers.contains("Z"));
            answers.clear();
            VertxConnection conn = (VertxConnection) socket;
            Buffer first = query("SELECT 1");
            Buffer second = query("SELECT 2");
            NetSocket out = socket;
            long[] pending = conn.channel().eventLoop().submit(() -> {
                RelayWriter unbatched = new RelayWriter(out);
                unbatched.send(query("SELECT 0"));
                long alone = pending(conn);
                RelayWriter batched = new RelayWriter(out, true);
                batched.send(first);
                long one = pending(conn);
                batched.send(second);
                return new long[] {alone, one, pending(conn)};
            }).get(30, TimeUnit.SECONDS);
            assertThat(pending[0]).as("a write without batching leaves at once").isZero();
            // Netty counts each queued message with an overhead of its own
            assertThat(pending[1]).as("the first unit waits for the end of the task").isGreaterThanOrEqualTo(first.length());
            assertThat(pending[2]).as("both units wait for it").isGreaterThanOrEqualTo(pending[1] + second.length());
            Waits.until(Duration.ofSeconds(30), "three answers", () -> answers.size() >= 6);
            assertThat(answers).containsExactly("0", "Z", "1", "Z", "2", "Z");
            long after = conn.channel().eventLoop().submit(() -> pending(conn)).get(30, TimeUnit.SECONDS);
            assertThat(after).as("flushed after the task").isZero();
        } finally {
            if (socket != null) {
                socket.close();
            }
            vertx.close();
        }
    }

    /** Bytes written to the channel and not yet taken by the socket (with Netty's overhead per message). */
    private static long pending(VertxConnection conn) {
        var out = conn.channel().unsafe().outboundBuffer();
        return out == null ? -1 : out.totalPendingWriteBytes();
    }

    /** The first value of each DataRow and each ReadyForQuery ("Z"), from the bytes as they arrive. */
    private static final class Answers {
        private final List<String> out;
        private Buffer pending = Buffer.buffer();

        Answers(List<String> out) {
            this.out = out;
        }

        void add(Buffer chunk) {
            pending.appendBuffer(chunk);
            int at = 0;
            while (pending.length() - at >= 5 && pending.length() - at >= 1 + pending.getInt(at + 1)) {
                byte type = pending.getByte(at);
                int len = pending.getInt(at + 1);
                if (type == 'E') {
                    out.add("E");
                } else if (type == 'D') {
                    int valueLen = pending.getInt(at + 7);
                    out.add(pending.getString(at + 11, at + 11 + valueLen, StandardCharsets.UTF_8.name()));
                } else if (type == 'Z') {
                    out.add("Z");
                }
                at += 1 + len;
            }
            pending = pending.getBuffer(at, pending.length());
        }
    }

    private static Buffer startup() {
        byte[] params = ("user\0" + USER + "\0database\0postgres\0\0").getBytes(StandardCharsets.UTF_8);
        return Buffer.buffer().appendInt(8 + params.length).appendInt(196608).appendBytes(params);
    }

    private static Buffer query(String sql) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        return Buffer.buffer().appendByte((byte) 'Q').appendInt(4 + text.length + 1).appendBytes(text).appendByte((byte) 0);
    }
}
