package org.vxpool.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class NodeTest {

    private final List<String> events = new CopyOnWriteArrayList<>();

    /** Records its start and stop, or fails its start with a checked exception. */
    private final class Recording extends VerticleBase {
        private final String name;
        private final boolean fail;

        Recording(String name, boolean fail) {
            this.name = name;
            this.fail = fail;
        }

        @Override
        public Future<?> start() {
            if (fail) {
                return Future.failedFuture(new IOException("could not listen on 127.0.0.1:1: address already in use"));
            }
            events.add("start " + name);
            return Future.succeededFuture();
        }

        io.vertx.core.Context context() {
            return context;
        }

        @Override
        public Future<?> stop() {
            events.add("stop " + name);
            return Future.succeededFuture();
        }
    }

    @Test
    void verticlesStartInOrderAndStopInReverse() throws Exception {
        Node node = Node.start(Optional.empty(), List.of(
                VerticleSpec.single("watchdog", () -> new Recording("watchdog", false)),
                new VerticleSpec("proxy", () -> new Recording("proxy", false), 2)));

        node.stop(ShutdownMode.FAST);

        assertThat(events).containsExactly("start watchdog", "start proxy", "start proxy",
                "stop proxy", "stop proxy", "stop watchdog");
    }

    @Test
    void aFailedDeploymentStopsWhatStartedAndReportsTheVerticlesWords() {
        assertThatThrownBy(() -> Node.start(Optional.empty(), List.of(
                VerticleSpec.single("watchdog", () -> new Recording("watchdog", false)),
                VerticleSpec.single("proxy", () -> new Recording("proxy", true)))))
                .isInstanceOf(LaunchException.class)
                .hasMessage("could not listen on 127.0.0.1:1: address already in use");
        assertThat(events).containsExactly("start watchdog", "stop watchdog");
    }

    private static void onContextOf(VerticleBase verticle, java.util.function.Supplier<Future<Void>> action) throws Exception {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        ((Recording) verticle).context().runOnContext(v -> action.get()
                .onSuccess(done::complete).onFailure(done::completeExceptionally));
        done.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void thePoolStopsAndStartsAgainWhileTheOtherVerticlesStayAndTheNodeStopsEverything() throws Exception {
        PoolSwitch pool = new PoolSwitch(List.of(
                VerticleSpec.single("watchdog", () -> new Recording("watchdog", false)),
                VerticleSpec.single("proxy", () -> new Recording("proxy", false))));
        Recording admin = new Recording("admin", false);
        Node node = Node.start(Optional.empty(), pool, List.of(VerticleSpec.single("admin", () -> admin)));
        assertThat(pool.status()).isEqualTo(org.vxpool.admin.PoolControl.State.RUNNING);

        // From the admin verticle's event loop, as the API calls it: the redeployed pool must not
        // become the admin verticle's child (it would then stop with it, before "stop admin").
        onContextOf(admin, pool::stop);
        assertThat(pool.status()).isEqualTo(org.vxpool.admin.PoolControl.State.STOPPED);
        onContextOf(admin, pool::start);
        node.stop(ShutdownMode.FAST);

        assertThat(events).containsExactly("start watchdog", "start proxy", "start admin",
                "stop proxy", "stop watchdog", "start watchdog", "start proxy",
                "stop admin", "stop proxy", "stop watchdog");
    }
}
