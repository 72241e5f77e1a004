package org.vxpool.launcher;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

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
            throw new LaunchException("could not create logdir " + logdir + ": " + e.getMessage());
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
        }
    }
}
