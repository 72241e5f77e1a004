package org.vxpool.watchdog.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.common.config.BackendConfig;

/**
 * Health checks against servers that never answer are bounded by health_check_timeout. No
 * PostgreSQL needed: the point is what a dead-but-listening peer does to the checker.
 */
class HealthCheckTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofMillis(700);

    private Vertx vertx;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static HealthSettings settings(int retries, Duration retryDelay) {
        return new HealthSettings(Duration.ZERO, TIMEOUT, "nobody", "pw", "", retries, retryDelay, Duration.ofSeconds(10));
    }

    /** Accepts connections and never writes a byte; remembers them to see whether the client hangs up. */
    private List<Socket> acceptAndIgnore(ServerSocket server) {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    accepted.add(server.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }, "black-hole-accept");
        t.setDaemon(true);
        t.start();
        closeables.add(() -> accepted.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // test teardown
            }
        }));
        return accepted;
    }

    private ServerSocket listen(int backlog) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog);
        closeables.add(server);
        return server;
    }

    private static <T> Throwable failureOf(Future<T> f) throws Exception {
        try {
            f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("probe unexpectedly succeeded");
    }

    @Test
    void serverThatAcceptsAndNeverAnswersIsBoundedAndTheSocketIsReleased() throws Exception {
        ServerSocket server = listen(50);
        List<Socket> accepted = acceptAndIgnore(server);
        PgProbe.Target target = PgProbe.Target.of("127.0.0.1", server.getLocalPort(), settings(0, Duration.ZERO));

        long start = System.nanoTime();
        Throwable failure = failureOf(PgProbe.check(vertx, target, TIMEOUT));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(failure).isInstanceOf(ProbeException.class).hasMessageContaining("timed out after 700 ms");
        assertThat(elapsedMs).isBetween(TIMEOUT.toMillis() - 50, TIMEOUT.toMillis() + 1500);
        assertThat(accepted).hasSize(1);
        // The abandoned attempt must not keep its socket: the server side sees end-of-stream.
        Socket s = accepted.get(0);
        s.setSoTimeout(5000);
        try (InputStream in = s.getInputStream()) {
            int b;
            do {
                b = in.read();
            } while (b != -1);
        }
    }

    @Test
    void listenBacklogThatNeverAcceptsIsBounded() throws Exception {
        ServerSocket server = listen(1);
        // Fill the accept queue so that further handshakes stall in the kernel.
        for (int i = 0; i < 4; i++) {
            Socket filler = new Socket();
            closeables.add(filler);
            try {
                filler.connect(server.getLocalSocketAddress(), 200);
            } catch (IOException stalled) {
                // expected once the queue is full
            }
        }
        PgProbe.Target target = PgProbe.Target.of("127.0.0.1", server.getLocalPort(), settings(0, Duration.ZERO));
        long start = System.nanoTime();
        Throwable failure = failureOf(PgProbe.check(vertx, target, TIMEOUT));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(failure).hasMessageContaining("timed out after 700 ms");
        assertThat(elapsedMs).isBetween(TIMEOUT.toMillis() - 50, TIMEOUT.toMillis() + 1500);
    }

    @Test
    void checkerRetriesThenReportsFailureWithStats() throws Exception {
        AtomicReference<String> reason = new AtomicReference<>();
        HealthChecker checker = blackHoleChecker(settings(2, Duration.ofMillis(100)), reason);
        vertx.runOnContext(v -> checker.checkWithRetries());
        waitFor(() -> reason.get() != null, Duration.ofSeconds(10));

        assertThat(reason.get()).startsWith("health check failed after 2 retries: timed out after 700 ms");
        HealthStats stats = checker.stats();
        assertThat(stats.total()).isEqualTo(1);
        assertThat(stats.failCount()).isEqualTo(1);
        assertThat(stats.retryCount()).isEqualTo(2);
        // three attempts of 700 ms plus two delays of 100 ms
        assertThat(stats.maxDurationMillis()).isBetween(2200L, 2200L + 3000L);
    }

    @Test
    void backendErrorChecksOnceWithoutRetries() throws Exception {
        AtomicReference<String> reason = new AtomicReference<>();
        HealthChecker checker = blackHoleChecker(settings(5, Duration.ofSeconds(1)), reason);
        long start = System.nanoTime();
        vertx.runOnContext(v -> checker.checkNow("connection reset"));
        waitFor(() -> reason.get() != null, Duration.ofSeconds(10));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(reason.get()).startsWith("backend error (connection reset), confirmed by health check: timed out");
        assertThat(elapsedMs).isLessThan(TIMEOUT.toMillis() + 1500);
        assertThat(checker.stats().retryCount()).isZero();
    }

    @Test
    void downNodeIsSkipped() throws Exception {
        BackendConfig backend = new BackendConfig(0, "127.0.0.1", 1, 1, "", Set.of(), "");
        AtomicReference<String> reason = new AtomicReference<>();
        HealthChecker checker = new HealthChecker(vertx, backend, settings(0, Duration.ZERO),
                () -> NodeStatus.DOWN, false, listener(reason));
        vertx.runOnContext(v -> checker.checkWithRetries());
        waitFor(() -> checker.stats().skipCount() == 1, Duration.ofSeconds(5));
        assertThat(reason.get()).isNull();
        // An error report on a node already down is not counted as a check at all.
        vertx.runOnContext(v -> checker.checkNow("late error"));
        Thread.sleep(300);
        assertThat(checker.stats().total()).isEqualTo(1);
    }

    /**
     * A node marked down on another vxpool node's checks: this node's last own check succeeded,
     * and the periodic checks skip a down node, so pg_status stayed "up" until probeOnce.
     */
    @Test
    void probeOfANodeMarkedDownUpdatesPgStatusWithoutReportingAFailure() throws Exception {
        BackendConfig backend = new BackendConfig(0, "127.0.0.1", closedPort(), 1, "", Set.of(), "");
        AtomicReference<String> reason = new AtomicReference<>();
        HealthChecker checker = new HealthChecker(vertx, backend, settings(3, Duration.ofSeconds(5)),
                () -> NodeStatus.DOWN, false, listener(reason));
        org.vxpool.common.model.BackendNode node = new org.vxpool.common.model.BackendNode(0, "127.0.0.1",
                backend.port(), 1, NodeStatus.DOWN, org.vxpool.common.model.NodeRole.PRIMARY, 0);
        vertx.runOnContext(v -> checker.probeOnce());
        waitFor(() -> checker.stats().total() == 1, Duration.ofSeconds(5));
        assertThat(checker.stats().pgStatus(node)).isEqualTo("down");
        assertThat(checker.stats().pgRole(node)).isEqualTo("unknown");
        assertThat(reason.get()).as("no failure reported for a node already down, and no retries").isNull();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A checker of an UP node whose server accepts and never answers. */
    private HealthChecker blackHoleChecker(HealthSettings settings, AtomicReference<String> reason) throws IOException {
        ServerSocket server = listen(50);
        acceptAndIgnore(server);
        BackendConfig backend = new BackendConfig(0, "127.0.0.1", server.getLocalPort(), 1, "", Set.of(), "");
        return new HealthChecker(vertx, backend, settings, () -> NodeStatus.UP, false, listener(reason));
    }

    private static HealthChecker.Listener listener(AtomicReference<String> reason) {
        return new HealthChecker.Listener() {
            @Override
            public void failed(int nodeId, String why) {
                reason.set(why);
            }

            @Override
            public void healthy(int nodeId) {
                reason.set("healthy");
            }
        };
    }

    static void waitFor(java.util.function.BooleanSupplier condition, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + max);
            }
            Thread.sleep(20);
        }
    }
}
