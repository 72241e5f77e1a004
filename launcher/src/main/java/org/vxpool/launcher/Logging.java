package org.vxpool.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.vertx.core.Vertx;
import org.slf4j.LoggerFactory;
import org.vxpool.common.config.ConfigReload;
import org.vxpool.common.config.LogLevel;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;

/** Points logback at the configured {@code logdir} once the config has been read. */
final class Logging {

    /** Read by {@code logback.xml} (ours or an operator's) as {@code ${vxpool.logdir}}. */
    static final String LOGDIR_PROPERTY = "vxpool.logdir";

    /** Stderr only, until the config names the logdir; an operator's own file still wins. */
    private static final String BOOTSTRAP_CONFIG = "vxpool-bootstrap-logback.xml";

    private static boolean bootstrapped;

    private Logging() {
    }

    /**
     * Called before anything logs, so that loading the config cannot create a log file in a
     * default directory the operator never chose.
     */
    static void bootstrap() {
        if (System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) == null) {
            System.setProperty(ContextInitializer.CONFIG_FILE_PROPERTY, BOOTSTRAP_CONFIG);
            bootstrapped = true;
        }
    }

    /**
     * Sets the logdir property and loads logback's configuration again, because a library may
     * already have initialised logback before the property existed.
     */
    static void configure(Path logdir) throws LaunchException {
        try {
            Files.createDirectories(logdir);
        } catch (IOException e) {
            throw new LaunchException("could not create logdir " + logdir + ": " + Failures.ioReason(e));
        }
        System.setProperty(LOGDIR_PROPERTY, logdir.toAbsolutePath().toString());
        // Vert.x and Hazelcast pick their logging backend once, at first use.
        System.setProperty("vertx.logger-delegate-factory-class-name",
                "io.vertx.core.logging.SLF4JLogDelegateFactory");
        System.setProperty("hazelcast.logging.type", "slf4j");
        if (bootstrapped) {
            System.clearProperty(ContextInitializer.CONFIG_FILE_PROPERTY);
        }
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.reset();
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                throw new LaunchException("could not configure logging: " + e.getMessage(), e);
            }
            quietVertxGaugeRepeats(context);
        }
    }

    /** Added after the configuration (a reset drops turbo filters), so an operator's logback.xml gets it too. */
    static VertxGaugeWarningFilter quietVertxGaugeRepeats(LoggerContext context) {
        VertxGaugeWarningFilter filter = new VertxGaugeWarningFilter();
        filter.start();
        context.addTurboFilter(filter);
        return filter;
    }

    /** The logger {@code log_min_messages} sets: vxpool's own, not Vert.x's, Netty's or Hazelcast's. */
    static final String VXPOOL_LOGGER = "org.vxpool";

    /**
     * pgpool-II's operational messages are LOG, which ranks above ERROR in {@code log_min_messages};
     * vxpool writes them at INFO. So every level from info to log keeps INFO lines, as pgpool keeps
     * LOG lines, and only fatal/panic drop them.
     */
    static Level logbackLevel(LogLevel level) {
        return switch (level) {
            case DEBUG5, DEBUG4, DEBUG3, DEBUG2 -> Level.TRACE;
            case DEBUG1 -> Level.DEBUG;
            case INFO, NOTICE, WARNING, ERROR, LOG -> Level.INFO;
            case FATAL, PANIC -> Level.ERROR;
        };
    }

    /** Sets the {@code org.vxpool} logger from {@code log_min_messages}; cheap, safe on an event loop. */
    static void applyMinMessages(PoolConfig config) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            Level level = logbackLevel(config.get(Params.LOG_MIN_MESSAGES));
            ch.qos.logback.classic.Logger logger = context.getLogger(VXPOOL_LOGGER);
            if (!level.equals(logger.getLevel())) {
                logger.setLevel(level);
                logger.info("log_min_messages = {}: org.vxpool logs at {}",
                        config.get(Params.LOG_MIN_MESSAGES).name().toLowerCase(java.util.Locale.ROOT), level);
            }
        }
    }

    /** Applies {@code log_min_messages} again on every {@code POST /reload} of this JVM. */
    static void followReloads(Vertx vertx) {
        ConfigReload.consumer(vertx, Logging::applyMinMessages);
    }
}
