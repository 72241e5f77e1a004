package org.vxpool.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.config.ConfigReload;
import org.vxpool.common.config.LogLevel;
import org.vxpool.common.config.PoolConfig;

class LogMinMessagesTest {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final ch.qos.logback.classic.Logger vxpool = context.getLogger(Logging.VXPOOL_LOGGER);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger someVxpoolClass = LoggerFactory.getLogger("org.vxpool.proxy.session.ClientSession");
    private Level before;

    @BeforeEach
    void attach() {
        before = vxpool.getLevel();
        lines.start();
        vxpool.addAppender(lines);
    }

    @AfterEach
    void detach() {
        vxpool.detachAppender(lines);
        vxpool.setLevel(before);
    }

    @Test
    void mapsEveryPgpoolLevel() {
        assertThat(Logging.logbackLevel(LogLevel.DEBUG5)).isEqualTo(Level.TRACE);
        assertThat(Logging.logbackLevel(LogLevel.DEBUG2)).isEqualTo(Level.TRACE);
        assertThat(Logging.logbackLevel(LogLevel.DEBUG1)).isEqualTo(Level.DEBUG);
        assertThat(Logging.logbackLevel(LogLevel.WARNING)).isEqualTo(Level.INFO);
        assertThat(Logging.logbackLevel(LogLevel.LOG)).isEqualTo(Level.INFO);
        assertThat(Logging.logbackLevel(LogLevel.FATAL)).isEqualTo(Level.ERROR);
    }

    @Test
    void startUpLevelApplies() {
        Logging.applyMinMessages(config("debug1"));
        someVxpoolClass.debug("visible at debug1");
        Logging.applyMinMessages(config("fatal"));
        someVxpoolClass.info("hidden at fatal");
        someVxpoolClass.error("errors stay");

        assertThat(messages()).contains("visible at debug1", "errors stay").doesNotContain("hidden at fatal");
    }

    @Test
    void reloadMakesDebugLinesAppearAndDisappear() throws Exception {
        Logging.applyMinMessages(config("warning"));
        Node node = Node.start(Optional.empty(), List.of());
        try {
            someVxpoolClass.debug("debug before reload");

            ConfigReload.publish(node.vertx(), config("debug1"));
            awaitLevel(Level.DEBUG);
            someVxpoolClass.debug("debug after reload to debug1");

            ConfigReload.publish(node.vertx(), config("warning"));
            awaitLevel(Level.INFO);
            someVxpoolClass.debug("debug after reload to warning");
            someVxpoolClass.info("info after reload to warning");
        } finally {
            node.stop(ShutdownMode.FAST);
        }

        assertThat(messages()).contains("debug after reload to debug1", "info after reload to warning")
                .doesNotContain("debug before reload", "debug after reload to warning");
    }

    /** The reload consumer runs on an event loop; the publish only queues it. */
    private void awaitLevel(Level level) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (vxpool.getLevel() != level && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(vxpool.getLevel()).isEqualTo(level);
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static PoolConfig config(String level) {
        return PoolConfig.parse("backend_hostname0 = '127.0.0.1'\nlog_min_messages = " + level + "\n", "pgpool.conf");
    }
}
