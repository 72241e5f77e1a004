package org.vxpool.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Micrometer 1.15 logs "This Gauge has been already registered" (WARN once per JVM, DEBUG after)
 * whenever a gauge id is registered again, and vertx-micrometer 5.0.7 does that for every
 * event-bus consumer, SQL pool and net client. A node started with the launcher's metrics options
 * and logging, whose verticles do what the real ones do, logs none of them and still serves the
 * meters; a repeat of any other gauge is still logged.
 */
class MeterRegistrationTest {

    /** Like the proxy and watchdog: consumers on several addresses, a shared server per instance, SQL pools. */
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
            // the watchdog's probes open a vertx-pg-client pool each time
            for (int i = 0; i < 2; i++) {
                PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(port))
                        .with(new PoolOptions().setMaxSize(1)).using(vertx).build().close();
            }
            vertx.createNetClient().close();
            vertx.createNetClient().close();
            return vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1")).connectHandler(s -> s.close())
                    .listen(port).compose(s -> vertx.eventBus().request("vxpool.test.a", "ping"))
                    .compose(r -> vertx.createHttpServer().requestHandler(req -> req.response().end()).listen(0, "127.0.0.1"));
        }
    }

    @Test
    void aNodeLogsNoRepeatOfVertxGaugesAndStillServesThem() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger registryLog = context.getLogger(VertxGaugeWarningFilter.REGISTRY_LOGGER);
        Level before = registryLog.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        // after its first WARN, Micrometer reports further double registrations at DEBUG
        registryLog.setLevel(Level.DEBUG);
        registryLog.addAppender(appender);
        VertxGaugeWarningFilter filter = Logging.quietVertxGaugeRepeats(context);
        try {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            Node node = Node.start(Optional.empty(), List.of(new VerticleSpec("busy", () -> new Busy(port), 2)));
            try {
                assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                        .noneMatch(m -> m.contains("already registered"));
                // the admin API's /metrics serves this registry: the repeated gauges are there, once
                PrometheusMeterRegistry registry = (PrometheusMeterRegistry) BackendRegistries.getDefaultNow();
                assertThat(registry.scrape()).contains("vertx_eventbus_handlers ", "vertx_eventbus_sent_total",
                        "jvm_memory_used_bytes");

                // anything else registered twice is still reported
                Gauge.builder("vxpool.test.twice", new AtomicLong(), AtomicLong::get).register(registry);
                Gauge.builder("vxpool.test.twice", new AtomicLong(), AtomicLong::get).register(registry);
                assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                        .anyMatch(m -> m.contains("already registered (MeterId{name='vxpool.test.twice'"));
            } finally {
                node.stop(ShutdownMode.FAST);
            }
        } finally {
            context.getTurboFilterList().remove(filter);
            registryLog.detachAppender(appender);
            registryLog.setLevel(before);
        }
    }
}
