package org.vxpool.it.reliability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises the proxy's log level while a test opens thousands of doomed sessions: each close is
 * logged at INFO with its reason, which would flood the build output and slow the run.
 */
final class Quiet implements AutoCloseable {
    private final Logger logger;
    private final Level before;

    private Quiet(Logger logger) {
        this.logger = logger;
        this.before = logger.getLevel();
        logger.setLevel(Level.WARN);
    }

    static Quiet proxyLogs() {
        return new Quiet((Logger) LoggerFactory.getLogger("org.vxpool.proxy"));
    }

    @Override
    public void close() {
        logger.setLevel(before);
    }
}
