package org.vxpool.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vxpool.it.InProcessVxpool;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;

/**
 * No path through a live vxpool logs in without valid credentials, in both authentication modes:
 * a right login never leaves a pooled backend connection that a wrong password could then get,
 * concurrent right and wrong logins are told apart, and a raw client that skips the password
 * exchange and sends a query gets an error and a closed connection, never a row. The message-level
 * cases (tampered SCRAM proof, md5 replay under another salt, hba reject, hostssl) are in
 * proxy-verticle's ClientAuthExchangeTest and PoolHbaIntegrationTest; docs/RELIABILITY.md maps them.
 */
class AuthBypassTest {
    enum Mode {
        /** enable_pool_hba = off: the backend's own exchange is relayed. */
        PASS_THROUGH(""),
        /** enable_pool_hba = on with pool_passwd: vxpool authenticates the client itself. */
        POOL_HBA("enable_pool_hba = on\npool_passwd = 'pool_passwd'\n");

        final String conf;

        Mode(String conf) {
            this.conf = conf;
        }
    }

    private static final Map<String, String> PASSWORDS = Map.of("authscram", "scram-secret", "authmd5", "md5-secret");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Mode.class)
    void nothingLogsInWithoutValidCredentials(Mode mode) throws Exception {
        try (PgCluster pg = PgCluster.builder()
                .user("authscram", PASSWORDS.get("authscram"), PasswordEncryption.SCRAM_SHA_256, false)
                .user("authmd5", PASSWORDS.get("authmd5"), PasswordEncryption.MD5, false)
                .start()) {
            Files.write(dir.resolve("pool_hba.conf"), List.of(
                    "host all authscram 127.0.0.1/32 scram-sha-256",
                    "host all authmd5 127.0.0.1/32 md5",
                    "host all all 127.0.0.1/32 reject"));
            Files.write(dir.resolve("pool_passwd"), List.of("authscram:TEXTscram-secret", "authmd5:TEXTmd5-secret"));
            try (InProcessVxpool vxpool = InProcessVxpool.start(pg, dir, c -> c + mode.conf)) {
                for (String user : PASSWORDS.keySet()) {
                    rightThenWrongNeverReusesTheLogin(vxpool, user);
                    concurrentRightAndWrongAreToldApart(vxpool, user);
                    skippingThePasswordExchangeGetsNoRow(vxpool, user);
                }
                assertThat(loginState(vxpool, "nosuchuser", "x")).isIn("28P01", "28000");
            }
        }
    }

    private static void rightThenWrongNeverReusesTheLogin(InProcessVxpool vxpool, String user) throws Exception {
        for (int i = 0; i < 10; i++) {
            assertThat(loginState(vxpool, user, PASSWORDS.get(user))).as("%s right password, round %d", user, i)
                    .isEqualTo("ok");
            assertThat(loginState(vxpool, user, "wrong" + i)).as("%s wrong password, round %d", user, i)
                    .isEqualTo("28P01");
            assertThat(loginState(vxpool, user, "")).as("%s empty password, round %d", user, i).isIn("28P01", "08004");
        }
    }

    private static void concurrentRightAndWrongAreToldApart(InProcessVxpool vxpool, String user) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> right = new ArrayList<>();
            List<Future<String>> wrong = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                right.add(pool.submit(() -> loginState(vxpool, user, PASSWORDS.get(user))));
                wrong.add(pool.submit(() -> loginState(vxpool, user, "not-" + PASSWORDS.get(user))));
            }
            for (int i = 0; i < 20; i++) {
                assertThat(right.get(i).get()).as("%s right #%d", user, i).isEqualTo("ok");
                assertThat(wrong.get(i).get()).as("%s wrong #%d", user, i).isEqualTo("28P01");
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Start-up, then a Query (or an empty password, then a Query) instead of answering the authentication request. */
    private static void skippingThePasswordExchangeGetsNoRow(InProcessVxpool vxpool, String user) throws Exception {
        byte[] query = query("SELECT 'bypassed'");
        byte[] emptyPassword = ByteBuffer.allocate(6).put((byte) 'p').putInt(5).put((byte) 0).array();
        for (byte[] instead : List.of(query, concat(emptyPassword, query))) {
            try (RawSocket s = new RawSocket(vxpool.port)) {
                s.send(WireMutator.startup(Map.of("user", user, "database", "postgres")));
                assertThat((char) s.readMessage()[0]).isEqualTo('R');
                s.send(instead);
                List<Character> seen = new ArrayList<>();
                try {
                    while (true) {
                        byte[] m = s.readMessage();
                        seen.add((char) m[0]);
                        // An authentication request may follow (SASLContinue for garbage, say); the exchange then fails.
                        assertThat((char) m[0]).as("%s: no login, no row", user).isNotIn('D', 'Z', 'T');
                    }
                } catch (EOFException closed) {
                    // the server ended the connection, as it must
                }
                assertThat(seen).as("%s: an ErrorResponse before the close", user).contains('E');
            }
        }
    }

    /** "ok" after a successful login and query, or the SQLSTATE of the failure. */
    private static String loginState(InProcessVxpool vxpool, String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "10");
        try (Connection c = DriverManager.getConnection(vxpool.url, p); Statement st = c.createStatement()) {
            st.executeQuery("SELECT current_user").next();
            return "ok";
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    private static byte[] query(String sql) {
        byte[] text = (sql + "\0").getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + text.length).put((byte) 'Q').putInt(4 + text.length).put(text).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return WireMutator.join(List.of(a, b));
    }
}
