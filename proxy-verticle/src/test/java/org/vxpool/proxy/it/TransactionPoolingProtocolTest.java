package org.vxpool.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.protocol.Bind;
import org.vxpool.proxy.protocol.Close;
import org.vxpool.proxy.protocol.Describe;
import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.proxy.protocol.Execute;
import org.vxpool.proxy.protocol.Parse;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.Query;
import org.vxpool.proxy.protocol.Sync;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/**
 * Transaction pooling at the protocol level, message by message, with a trusted user and one
 * backend connection shared by two clients: named statements are prepared where they are used,
 * Describe works on a statement the connection never saw Parsed by this client, a client's Close
 * leaves another client's identical statement alone, and vxpool's own Parses stay unseen.
 */
class TransactionPoolingProtocolTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder()
            .user("trusty", null, PasswordEncryption.NONE, false));
    static ProxyFixture proxy;

    @BeforeAll
    static void start() {
        proxy = ProxyFixture.start(PG.cluster(), s -> s.withTransactionPooling(1, 5000), 1);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    private static RawClient login() throws IOException {
        RawClient c = new RawClient(proxy.port);
        c.startup("trusty");
        c.readUntil(PgProtocol.Backend.READY_FOR_QUERY);
        return c;
    }

    /** The message types up to and including the next ReadyForQuery. */
    private static String answer(RawClient c) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            Buffer m = c.readMessage();
            sb.append((char) m.getByte(0));
            if (m.getByte(0) == PgProtocol.Backend.READY_FOR_QUERY) {
                return sb.toString();
            }
        }
    }

    private static Buffer batch(Buffer... messages) {
        Buffer b = Buffer.buffer();
        for (Buffer m : messages) {
            b.appendBuffer(m);
        }
        return b.appendBuffer(Sync.encode());
    }

    private static Buffer bind(String statement, String value) {
        List<Buffer> values = value == null ? List.of() : List.of(Buffer.buffer(value));
        return new Bind("", statement, List.of(), values, List.of()).encode();
    }

    @Test
    void namedStatementsFollowTheClientAcrossASharedConnection() throws Exception {
        String sql = "select $1::int + 1";
        try (RawClient a = login(); RawClient b = login()) {
            a.send(batch(new Parse("s1", sql, List.of(23)).encode()));
            assertThat(answer(a)).isEqualTo("1Z");
            // the Parse was answered without a backend: Describe must prepare it first, unseen
            a.send(batch(new Describe((byte) 'S', "s1").encode()));
            assertThat(answer(a)).isEqualTo("tTZ");
            b.send(batch(new Parse("other", sql, List.of(23)).encode(), bind("other", "1"), new Execute("", 0).encode()));
            assertThat(answer(b)).isEqualTo("12DCZ");
            a.send(batch(bind("s1", "41"), new Execute("", 0).encode()));
            List<Buffer> rows = new ArrayList<>();
            Buffer m;
            while ((m = a.readMessage()).getByte(0) != PgProtocol.Backend.READY_FOR_QUERY) {
                if (m.getByte(0) == PgProtocol.Backend.DATA_ROW) {
                    rows.add(m);
                }
            }
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).getString(11, rows.get(0).length())).isEqualTo("42");
            a.send(batch(new Close((byte) 'S', "s1").encode()));
            assertThat(answer(a)).isEqualTo("3Z");
            a.send(batch(bind("s1", "1"), new Execute("", 0).encode()));
            ErrorResponse e = a.readError();
            assertThat(e.sqlState()).isEqualTo("26000");
            assertThat(e.message()).contains("\"s1\"");
            a.readUntil(PgProtocol.Backend.READY_FOR_QUERY);
            b.send(batch(bind("other", "2"), new Execute("", 0).encode()));
            assertThat(answer(b)).as("the other client's identical statement survived the Close").isEqualTo("2DCZ");
        }
    }

    /**
     * A statement vxpool prepares in front of a Bind inside a transaction that is already aborted
     * fails with the rest of that unit; a unit pipelined behind it must find it prepared again,
     * as a direct connection still has the client's statement after ROLLBACK.
     */
    @Test
    void aPreparationThatFailsInAnAbortedTransactionIsMadeAgainForTheNextUnit() throws Exception {
        try (RawClient a = login()) {
            a.send(batch(new Parse("r", "select 7 /* aborted-then-again */", List.of()).encode()));
            assertThat(answer(a)).isEqualTo("1Z");
            // all in one write, so every unit is decoded before the first answer comes back
            a.send(Buffer.buffer()
                    .appendBuffer(new Query("BEGIN").encode())
                    .appendBuffer(new Query("select 1/0").encode())
                    .appendBuffer(batch(bind("r", null), new Execute("", 0).encode()))
                    .appendBuffer(new Query("ROLLBACK").encode())
                    .appendBuffer(batch(bind("r", null), new Execute("", 0).encode())));
            assertThat(answer(a)).isEqualTo("CZ");
            assertThat(answer(a)).as("division by zero").isEqualTo("EZ");
            assertThat(answer(a)).as("current transaction is aborted").isEqualTo("EZ");
            assertThat(answer(a)).isEqualTo("CZ");
            assertThat(answerWithValues(a)).isEqualTo("2DCZ|7");
        }
    }

    /** The message types up to the next ReadyForQuery, and the first column of each DataRow after a '|'. */
    private static String answerWithValues(RawClient c) throws IOException {
        StringBuilder types = new StringBuilder();
        StringBuilder values = new StringBuilder();
        while (true) {
            Buffer m = c.readMessage();
            types.append((char) m.getByte(0));
            if (m.getByte(0) == PgProtocol.Backend.DATA_ROW) {
                values.append('|').append(m.getString(11, m.length()));
            }
            if (m.getByte(0) == PgProtocol.Backend.READY_FOR_QUERY) {
                return types.append(values).toString();
            }
        }
    }

    /**
     * vxpool reads clients from Netty's pooled buffers without copying them: what a client sent
     * must still be intact when it is sent later, from a batch whose Sync came in a later read and
     * from units that waited for the pool's only connection while other reads reused the buffers.
     */
    @Test
    void framesKeptPastTheirReadAreSentIntact() throws Exception {
        String alpha = "alpha-" + "a".repeat(300);
        String gamma = "gamma-" + "g".repeat(300);
        try (RawClient holder = login(); RawClient a = login(); RawClient c = login()) {
            holder.send(new Query("BEGIN").encode());
            assertThat(answer(holder)).isEqualTo("CZ");
            // Parse and Bind in one read, Execute and Sync in a later one; then the unit waits for the connection
            a.send(Buffer.buffer().appendBuffer(new Parse("", "select $1::text", List.of()).encode()).appendBuffer(bind("", alpha)));
            Thread.sleep(200);
            a.send(Buffer.buffer().appendBuffer(new Execute("", 0).encode()).appendBuffer(Sync.encode()));
            c.send(new Query("select '" + gamma + "'").encode());
            Thread.sleep(200);
            for (int i = 0; i < 20; i++) {
                String filler = "select '" + Integer.toString(i).repeat(200) + "'";
                holder.send(new Query(filler).encode());
                assertThat(answer(holder)).isEqualTo("TDCZ");
            }
            holder.send(new Query("COMMIT").encode());
            assertThat(answer(holder)).isEqualTo("CZ");
            assertThat(answerWithValues(a)).isEqualTo("12DCZ|" + alpha);
            assertThat(answerWithValues(c)).isEqualTo("TDCZ|" + gamma);
        }
    }
}
