package org.vxpool.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.ProxySettings;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/**
 * One event loop serves every socket, so its read buffer ({@link ReadBuffers}) is lent to the
 * reads of all of them. A client that does not read while its rows arrive keeps some of those
 * reads referenced by queued writes (and the backend socket paused with reads held), while other
 * clients' statements go on: every row must reach each client intact, and the loop's buffer must
 * have served reads (the path is taken).
 */
class LoopReadBufferTest {
    private static final String USER = "trusty";
    private static final int ROWS = 60_000;

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder()
            .user(USER, null, PasswordEncryption.NONE, true));

    @ParameterizedTest
    @ValueSource(strings = {"session", "transaction"})
    void rowsStayIntactWhileTheLoopsBufferIsLentToOtherReads(String poolMode) throws Exception {
        UnaryOperator<ProxySettings> tune = poolMode.equals("session") ? s -> s : s -> s.withTransactionPooling(2, 60_000);
        try (ProxyFixture proxy = ProxyFixture.start(PG.cluster(), tune, 1); Socket slow = open(proxy)) {
            long before = ReadBuffers.reused();
            slow.getOutputStream().write(query("SELECT g, md5(g::text) FROM generate_series(1, " + ROWS + ") g"));
            List<CompletableFuture<Integer>> others = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                int client = c;
                others.add(CompletableFuture.supplyAsync(() -> checkedStatements(proxy, client)));
            }
            for (CompletableFuture<Integer> f : others) {
                assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(200);
            }
            assertThat(readRows(new DataInputStream(slow.getInputStream()))).isEqualTo(ROWS);
            assertThat(ReadBuffers.reused()).as("reads served by the loop's buffer").isGreaterThan(before + 100);
        }
    }

    /** 200 statements, each answer checked against its own number. */
    private static int checkedStatements(ProxyFixture proxy, int client) {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("prepareThreshold", client == 0 ? "0" : "1");
        try (Connection c = DriverManager.getConnection(proxy.jdbcUrl("postgres"), p);
             PreparedStatement st = c.prepareStatement("SELECT ?::int, md5(?::text)")) {
            int ok = 0;
            for (int i = 0; i < 200; i++) {
                int n = client * 1000 + i;
                st.setInt(1, n);
                st.setString(2, Integer.toString(n));
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(n);
                    assertThat(rs.getString(2)).isEqualTo(md5(Integer.toString(n)));
                    ok++;
                }
            }
            return ok;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the answer of the big query up to ReadyForQuery, checking each row's digest. */
    private static int readRows(DataInputStream in) throws IOException {
        int rows = 0;
        while (true) {
            byte type = in.readByte();
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            assertThat((char) type).as("answer").isNotEqualTo('E');
            if (type == 'D') {
                ByteBuffer b = ByteBuffer.wrap(body);
                b.getShort();
                String g = field(b, body);
                String digest = field(b, body);
                rows++;
                assertThat(g).isEqualTo(Integer.toString(rows));
                assertThat(digest).isEqualTo(md5(g));
            }
            if (type == 'Z') {
                return rows;
            }
        }
    }

    private static String field(ByteBuffer b, byte[] body) {
        int len = b.getInt();
        String s = new String(body, b.position(), len, StandardCharsets.UTF_8);
        b.position(b.position() + len);
        return s;
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Socket open(ProxyFixture proxy) throws IOException {
        Socket s = new Socket();
        // a small receive window, so the proxy's writes to it queue up soon
        s.setReceiveBufferSize(4096);
        s.connect(new java.net.InetSocketAddress("127.0.0.1", proxy.port));
        s.setSoTimeout(120_000);
        s.getOutputStream().write(startup());
        DataInputStream in = new DataInputStream(s.getInputStream());
        while (true) {
            byte type = in.readByte();
            in.skipNBytes(in.readInt() - 4);
            assertThat((char) type).as("start-up answer").isNotEqualTo('E');
            if (type == 'Z') {
                return s;
            }
        }
    }

    private static byte[] startup() {
        byte[] params = ("user\0" + USER + "\0database\0postgres\0\0").getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + params.length).putInt(8 + params.length).putInt(196608).put(params).array();
    }

    private static byte[] query(String sql) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 4 + text.length + 1).put((byte) 'Q').putInt(4 + text.length + 1).put(text).put((byte) 0).array();
    }
}
