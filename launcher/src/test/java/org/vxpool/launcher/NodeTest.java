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
}
