package org.vxpool.watchdog.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vxpool.testkit.PgCluster;

/**
 * Issue 11, the soak's heap growth: every probe (health check, primary search, lag query) used to
 * leave its pool's NetClient reachable from the watchdog's deployment until the node stopped
 * (Vert.x 5.0.7 never unregisters a closed NetClient; see {@link ProbeScope}). Probes that log in,
 * are refused, or time out must leave nothing behind, and their results must still arrive on the
 * caller's context.
 */
class PgProbeReleaseTest {
    private static final String NET_CLIENT = "io.vertx.core.net.impl.NetClientImpl";
    private static final int PROBES = 20;

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    /** A verticle that only gives the probes the watchdog's kind of context. */
    private static final class Host extends VerticleBase {
        Context context() {
            return context;
        }
    }

    @Test
    void probesLeaveNoNetClientBehindAndAnswerOnTheCallersContext() throws Exception {
        Host host = new Host();
        vertx.deployVerticle(host).await(10, TimeUnit.SECONDS);
        Context ctx = host.context();
        List<Boolean> onCallersContext = new CopyOnWriteArrayList<>();
        long before = liveInstances(NET_CLIENT);

        try (PgCluster pg = PgCluster.builder().start();
             ServerSocket silent = blackHole()) {
            HealthSettings s = new HealthSettings(Duration.ZERO, Duration.ofMillis(500), pg.user(), pg.password(), "", 0,
                    Duration.ZERO, Duration.ofSeconds(10));
            PgProbe.Target live = PgProbe.Target.of(pg.primary().host(), pg.primary().port(), s);
            PgProbe.Target refused = PgProbe.Target.of("127.0.0.1", closedPort(), s);
            PgProbe.Target hanging = PgProbe.Target.of("127.0.0.1", silent.getLocalPort(), s);
            for (int i = 0; i < PROBES; i++) {
                assertThat(onContext(ctx, onCallersContext,
                        () -> PgProbe.query(vertx, live, Duration.ofSeconds(10), "SELECT 1")).succeeded()).isTrue();
                assertThat(onContext(ctx, onCallersContext,
                        () -> PgProbe.check(vertx, refused, Duration.ofSeconds(10))).failed()).isTrue();
            }
            for (int i = 0; i < 3; i++) {
                assertThat(onContext(ctx, onCallersContext,
                        () -> PgProbe.check(vertx, hanging, Duration.ofMillis(300))).cause())
                        .hasMessageContaining("timed out after 300 ms");
            }
        }

        assertThat(onCallersContext).hasSize(2 * PROBES + 3).containsOnly(true);
        // Closing a scope runs after the result is handed over: give the last ones a moment.
        Thread.sleep(300);
        long after = liveInstances(NET_CLIENT);
        assertThat(after - before).as("NetClients still reachable after %d probes", 2 * PROBES + 3)
                .isLessThanOrEqualTo(2);
    }

    /** Runs {@code probe} on {@code ctx} and waits for it, noting whether its result arrived on ctx. */
    private static <T> Future<T> onContext(Context ctx, List<Boolean> onCallersContext, Supplier<Future<T>> probe) {
        Promise<T> done = Promise.promise();
        ctx.runOnContext(v -> probe.get().onComplete(ar -> {
            onCallersContext.add(Vertx.currentContext() == ctx);
            done.handle(ar);
        }));
        Future<T> f = done.future();
        try {
            f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the caller looks at the future's outcome
        }
        return f;
    }

    /** Live (strongly reachable, after a full GC) instances of a class in this JVM: jcmd GC.class_histogram. */
    static long liveInstances(String className) throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        for (String line : histogram.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[3].equals(className)) {
                return Long.parseLong(f[1]);
            }
        }
        return 0;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Accepts connections and never answers (its accept queue does it); closed by the caller. */
    private static ServerSocket blackHole() throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        return server;
    }
}
