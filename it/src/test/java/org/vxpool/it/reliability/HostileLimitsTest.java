package org.vxpool.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.vxpool.it.InProcessVxpool;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.Waits;

/**
 * Bounded limits of a live vxpool (full pgpool.conf, watchdog and proxy in-process): slow
 * start-ups are cut at authentication_timeout, huge declared lengths and oversized start-up
 * packets are refused with 08P01, clients beyond num_init_children get 53300, wrong cancel keys
 * cancel nothing. A JDBC bystander must keep working through each case.
 */
class HostileLimitsTest {
    private static final String TRUSTED = "fuzzer";
    private static final String SCRAM = "limitpw";
    private static final int AUTH_TIMEOUT_S = 2;
    private static final int CHILDREN = 8;

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder()
            .user(TRUSTED, null, PasswordEncryption.NONE, false)
            .user(SCRAM, "limit-secret", PasswordEncryption.SCRAM_SHA_256, false));

    @TempDir
    static Path dir;
    static InProcessVxpool vxpool;
    Bystander bystander;

    @BeforeAll
    static void startVxpool() throws Exception {
        vxpool = InProcessVxpool.start(PG.cluster(), dir, c -> c + "num_init_children = " + CHILDREN
                + "\nauthentication_timeout = " + AUTH_TIMEOUT_S + "\n");
    }

    @AfterAll
    static void stopVxpool() throws Exception {
        vxpool.close();
    }

    @BeforeEach
    void startBystander() throws SQLException {
        bystander = Bystander.start(vxpool.url);
    }

    @AfterEach
    void bystanderUnaffected() throws Exception {
        assertThat(bystander.stop()).as("bystander failures").isEmpty();
        bystander.close();
        Waits.until(Duration.ofSeconds(15), "every client of the test gone",
                () -> clients() == 0, () -> "clients=" + clients());
    }

    private static int clients() {
        try {
            return ReliabilityChecks.proxyStats(vxpool).getInteger("clients");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void slowlorisStartupIsCutAtAuthenticationTimeout() throws Exception {
        byte[] startup = WireMutator.startup(Map.of("user", TRUSTED, "database", "postgres"));
        try (RawSocket s = new RawSocket(vxpool.port)) {
            long t0 = System.nanoTime();
            int sent = 0;
            try {
                // One byte every 250 ms: the whole packet would need about 10 s.
                while (sent < startup.length && (System.nanoTime() - t0) / 1_000_000 < 10_000) {
                    s.send(new byte[] {startup[sent]});
                    sent++;
                    Thread.sleep(250);
                }
            } catch (java.io.IOException closed) {
                // expected: the server cut us off mid-packet
            }
            long cutAfter = (System.nanoTime() - t0) / 1_000_000 + Math.max(0, s.millisUntilClosed(5000));
            assertThat(sent).as("bytes accepted before the cut").isLessThan(startup.length);
            assertThat(cutAfter).isBetween(AUTH_TIMEOUT_S * 1000L - 500, AUTH_TIMEOUT_S * 1000L + 4000);
        }
    }

    @Test
    void clientThatNeverAnswersThePasswordRequestIsCutAtAuthenticationTimeout() throws Exception {
        try (RawSocket s = new RawSocket(vxpool.port)) {
            s.send(WireMutator.startup(Map.of("user", SCRAM, "database", "postgres")));
            byte[] request = s.readMessage();
            assertThat((char) request[0]).as("an authentication request").isEqualTo('R');
            long closedAfter = s.millisUntilClosed(AUTH_TIMEOUT_S * 1000L + 5000);
            assertThat(closedAfter).isBetween(AUTH_TIMEOUT_S * 1000L - 1500, AUTH_TIMEOUT_S * 1000L + 4000);
        }
    }

    @Test
    void floodOfSilentConnectionsDoesNotLockOutClients() throws Exception {
        List<RawSocket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                flood.add(new RawSocket(vxpool.port));
            }
            try (Connection c = connect(TRUSTED, null); Statement st = c.createStatement()) {
                assertThat(st.executeQuery("SELECT 1").next()).isTrue();
            }
            for (RawSocket s : flood) {
                assertThat(s.millisUntilClosed(AUTH_TIMEOUT_S * 1000L + 5000)).as("silent connection cut").isNotNegative();
            }
        } finally {
            for (RawSocket s : flood) {
                s.close();
            }
        }
    }

    @Test
    void connectionsBeyondNumInitChildrenGet53300AndSlotsComeBack() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(24);
        List<Future<Connection>> attempts = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            attempts.add(pool.submit(() -> connect(TRUSTED, null)));
        }
        List<Connection> held = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Future<Connection> f : attempts) {
            try {
                held.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                refused.add(((SQLException) e.getCause()).getSQLState());
            }
        }
        pool.shutdown();
        // The bystander holds one of the slots.
        assertThat(held).hasSize(CHILDREN - 1);
        assertThat(refused).hasSize(24 - CHILDREN + 1).containsOnly("53300");
        for (Connection c : held) {
            c.close();
        }
        Waits.until(Duration.ofSeconds(10), "slots released", () -> clients() == 1);
        try (Connection c = connect(TRUSTED, null); Statement st = c.createStatement()) {
            assertThat(st.executeQuery("SELECT 'after the flood'").next()).isTrue();
        }
    }

    @Test
    void hugeDeclaredStartupLengthIsRefused() throws Exception {
        try (RawSocket s = new RawSocket(vxpool.port)) {
            s.send(ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(WireMutator.PROTOCOL_3_0).array());
            RawSocket.Error e = s.readError();
            assertThat(e.sqlState()).isEqualTo("08P01");
            assertThat(e.message()).contains("invalid length of startup packet");
            assertThat(s.millisUntilClosed(5000)).isNotNegative();
        }
    }

    @Test
    void hugeDeclaredMessageLengthIsRefused() throws Exception {
        try (RawSocket s = new RawSocket(vxpool.port)) {
            s.send(WireMutator.startup(Map.of("user", TRUSTED, "database", "postgres")));
            while (s.readMessage()[0] != 'Z') {
                // start-up messages until ReadyForQuery
            }
            // 1 GiB + 1: above the default max_message_length (256 MiB); only the header is sent.
            s.send(ByteBuffer.allocate(5).put((byte) 'Q').putInt((1 << 30) + 1).array());
            RawSocket.Error e = s.readError();
            assertThat(e.sqlState()).isEqualTo("08P01");
            assertThat(e.message()).contains("exceeds max_message_length");
            assertThat(s.millisUntilClosed(5000)).isNotNegative();
        }
    }

    @Test
    void startupPacketWithAThousandParametersIsAnsweredAndClosed() throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", TRUSTED);
        params.put("database", "postgres");
        for (int i = 0; i < 1000; i++) {
            params.put("p" + i, "v");
        }
        try (RawSocket s = new RawSocket(vxpool.port)) {
            long t0 = System.nanoTime();
            s.send(WireMutator.startup(params));
            RawSocket.Error e = s.readError();
            System.out.printf("LIMITS 1000 startup parameters: %s %s%n", e.sqlState(), e.message());
            assertThat(e.sqlState()).isIn("08P01", "42704");
            assertThat(s.millisUntilClosed(5000)).isNotNegative();
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5000);
        }
        // The same count with longer names passes PostgreSQL's 10,000-byte start-up limit.
        params.clear();
        params.put("user", TRUSTED);
        for (int i = 0; i < 1000; i++) {
            params.put("application_name_" + i, "value");
        }
        try (RawSocket s = new RawSocket(vxpool.port)) {
            s.send(WireMutator.startup(params));
            RawSocket.Error e = s.readError();
            assertThat(e.sqlState()).isEqualTo("08P01");
            assertThat(e.message()).contains("invalid length of startup packet");
        }
    }

    @Test
    void cancelRequestsWithWrongKeysCancelNothing() throws Exception {
        try (Connection c = connect(TRUSTED, null); Statement st = c.createStatement()) {
            int pid = c.unwrap(PGConnection.class).getBackendPID();
            Thread attacker = new Thread(() -> {
                Random r = new Random(11);
                for (int i = 0; i < 100; i++) {
                    // Half with the session's own pid (only the secret is wrong), half fully random.
                    try (RawSocket s = new RawSocket(vxpool.port)) {
                        s.send(RawSocket.cancelRequest(i % 2 == 0 ? pid : r.nextInt(), r.nextInt()));
                        s.millisUntilClosed(2000);
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            long t0 = System.nanoTime();
            attacker.start();
            assertThat(st.executeQuery("SELECT pg_sleep(1.5), 'survived'").next()).isTrue();
            attacker.join();
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(1400);
            // The control: the driver's own cancel, with the right key, does cancel.
            Thread canceller = new Thread(() -> {
                ReliabilityChecks.sleep(300);
                try {
                    st.cancel();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            canceller.start();
            assertThatThrownBy(() -> st.execute("SELECT pg_sleep(5)"))
                    .isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("57014");
            canceller.join();
        }
    }

    private static Connection connect(String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(vxpool.url, p);
    }
}
