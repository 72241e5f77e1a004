package org.vxpool.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.protocol.CancelRequest;
import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.Query;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/**
 * Malformed and hostile input: each case is answered as specified and closed, while a JDBC
 * session opened before keeps working.
 */
class BadInputTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder()
            .user("trusty", null, PasswordEncryption.NONE, true));

    static ProxyFixture proxy;
    Connection bystander;

    @BeforeAll
    static void startProxy() {
        proxy = ProxyFixture.start(PG.cluster(), s -> s.withMaxMessageLength(64 * 1024).withTimeouts(0, 0, 2), 2);
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @BeforeEach
    void openBystander() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "trusty");
        bystander = DriverManager.getConnection(proxy.jdbcUrl("postgres"), p);
        assertBystanderWorks();
    }

    @AfterEach
    void bystanderStillWorks() throws SQLException {
        assertBystanderWorks();
        bystander.close();
    }

    private void assertBystanderWorks() throws SQLException {
        try (Statement st = bystander.createStatement(); ResultSet rs = st.executeQuery("SELECT 6 * 7")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    private RawClient client() throws Exception {
        return new RawClient(proxy.port);
    }

    /** A raw client past start-up (trust user), positioned after the first ReadyForQuery. */
    private RawClient ready() throws Exception {
        RawClient c = client();
        c.startup("trusty");
        c.readUntil(PgProtocol.Backend.READY_FOR_QUERY);
        return c;
    }

    @Test
    void garbageBeforeStartup() throws Exception {
        try (RawClient c = client()) {
            c.send("GET / HTTP/1.1\r\nHost: vxpool\r\n\r\n".getBytes());
            ErrorResponse e = c.readError();
            assertThat(e.sqlState()).isEqualTo("08P01");
            assertThat(e.isFatal()).isTrue();
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void protocol2IsRefusedNamingTheVersion() throws Exception {
        try (RawClient c = client()) {
            c.send(Buffer.buffer().appendInt(9).appendInt(2 << 16).appendByte((byte) 0));
            ErrorResponse e = c.readError();
            assertThat(e.sqlState()).isEqualTo("0A000");
            assertThat(e.message()).contains("unsupported frontend protocol 2.0");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void oversizedMessageLength() throws Exception {
        try (RawClient c = ready()) {
            c.send(Buffer.buffer().appendByte((byte) 'Q').appendInt(10 * 1024 * 1024));
            ErrorResponse e = c.readError();
            assertThat(e.sqlState()).isEqualTo("08P01");
            assertThat(e.message()).contains("exceeds max_message_length");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void negativeMessageLength() throws Exception {
        try (RawClient c = ready()) {
            c.send(Buffer.buffer().appendByte((byte) 'Q').appendInt(-20));
            assertThat(c.readError().sqlState()).isEqualTo("08P01");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void unknownMessageTypeIsRejectedByTheBackend() throws Exception {
        try (RawClient c = ready()) {
            c.send(Buffer.buffer().appendByte((byte) 0x01).appendInt(8).appendInt(12345));
            ErrorResponse e = c.readError();
            assertThat(e.sqlState()).isEqualTo("08P01");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void randomBytesAfterStartup() throws Exception {
        Random r = new Random(42);
        for (int round = 0; round < 5; round++) {
            try (RawClient c = ready()) {
                byte[] junk = new byte[200 + r.nextInt(2000)];
                r.nextBytes(junk);
                c.send(junk);
                assertThat(c.closedByServer()).as("round %d", round).isTrue();
            }
        }
    }

    @Test
    void truncatedFrameThenHangUp() throws Exception {
        try (RawClient c = ready()) {
            Buffer q = new Query("SELECT 1").encode();
            c.send(q.getBuffer(0, 7));
        }
        try (RawClient c = ready()) {
            c.send(new Query("SELECT 'whole'").encode());
            assertThat(c.readUntil(PgProtocol.Backend.READY_FOR_QUERY).getByte(5)).isEqualTo((byte) 'I');
        }
    }

    @Test
    void clientSendingNothingIsClosedByAuthenticationTimeout() throws Exception {
        try (RawClient c = client()) {
            long t0 = System.nanoTime();
            assertThat(c.closedByServer()).isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(1000L, 8000L);
        }
    }

    @Test
    void sslAndGssEncRequestsAreDeclined() throws Exception {
        try (RawClient c = client()) {
            c.send(Buffer.buffer().appendInt(8).appendInt(PgProtocol.GSSENC_REQUEST_CODE));
            assertThat(c.readByte()).isEqualTo('N');
            c.send(Buffer.buffer().appendInt(8).appendInt(PgProtocol.SSL_REQUEST_CODE));
            assertThat(c.readByte()).isEqualTo('N');
            c.startup("trusty");
            assertThat(c.readUntil(PgProtocol.Backend.READY_FOR_QUERY).getByte(5)).isEqualTo((byte) 'I');
        }
    }

    @Test
    void unknownCancelKeyIsSilentlyIgnored() throws Exception {
        try (RawClient c = client()) {
            c.send(new CancelRequest(12345, 678).encode());
            assertThat(c.readByte()).isEqualTo(-1);
        }
    }

    @Test
    void startupWithoutUser() throws Exception {
        try (RawClient c = client()) {
            c.send(Buffer.buffer().appendInt(13).appendInt(PgProtocol.PROTOCOL_3_0).appendString("x\0y\0\0"));
            ErrorResponse e = c.readError();
            assertThat(e.sqlState()).isEqualTo("28000");
            assertThat(c.closedByServer()).isTrue();
        }
    }
}
