package org.vxpool.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.net.NetServerOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Micrometer 1.15 logs "This Gauge has been already registered" (WARN once per JVM, DEBUG after)
 * whenever a gauge id is registered again. A node started with the launcher's metrics options,
 * whose verticles register several event-bus consumers and listen with several instances as the
 * real ones do, must not cause one.
 */
class MeterRegistrationTest {

    /** Like the proxy and watchdog: consumers on several addresses, a shared server per instance. */
    private static final class Busy extends VerticleBase {
        private final int port;

        Busy(int port) {
            this.port = port;
        }

        @Override
        public Future<?> start() {
            for (String address : List.of("vxpool.test.a", "vxpool.test.b", "vxpool.test.c")) {
                vertx.eventBus().consumer(address, m -> m.reply("ok"));
                vertx.eventBus().localConsumer(address + ".local", m -> m.reply("ok"));
            }
            return vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1")).connectHandler(s -> s.close())
                    .listen(port).compose(s -> vertx.eventBus().request("vxpool.test.a", "ping"))
                    .compose(r -> vertx.createHttpServer().requestHandler(req -> req.response().end()).listen(0, "127.0.0.1"));
        }
    }

    @Test
    void startingANodeRegistersNoGaugeTwice() throws Exception {
        Logger registryLog = (Logger) LoggerFactory.getLogger("io.micrometer.core.instrument.MeterRegistry");
        Level before = registryLog.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        // after its first WARN, Micrometer reports further double registrations at DEBUG
        registryLog.setLevel(Level.DEBUG);
        registryLog.addAppender(appender);
        try {
            int port;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            Node node = Node.start(Optional.empty(), List.of(new VerticleSpec("busy", () -> new Busy(port), 2)));
            try {
                // the admin API's /metrics serves this registry: Vert.x's meters are still there
                assertThat(BackendRegistries.getDefaultNow()).isInstanceOf(PrometheusMeterRegistry.class);
                String scrape = ((PrometheusMeterRegistry) BackendRegistries.getDefaultNow()).scrape();
                assertThat(scrape).contains("vertx_eventbus_sent_total", "vertx_eventbus_received_total",
                        "jvm_memory_used_bytes");
            } finally {
                node.stop(ShutdownMode.FAST);
            }
        } finally {
            registryLog.detachAppender(appender);
            registryLog.setLevel(before);
        }
        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains("already registered"));
    }
}
