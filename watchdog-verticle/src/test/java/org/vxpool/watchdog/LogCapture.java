package org.vxpool.watchdog;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** Collects the formatted log lines of {@code org.vxpool} while a test runs: the log is part of the contract. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    public static LogCapture capture() {
        LogCapture capture = new LogCapture();
        capture.setContext(((Logger) LoggerFactory.getLogger("org.vxpool")).getLoggerContext());
        capture.start();
        ((Logger) LoggerFactory.getLogger("org.vxpool")).addAppender(capture);
        return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
        lines.add(event.getFormattedMessage());
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public boolean contains(String fragment) {
        return lines.stream().anyMatch(l -> l.contains(fragment));
    }

    /** Waits until a line contains {@code fragment}; fails with the captured log otherwise. */
    public String await(String fragment, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            for (String l : lines) {
                if (l.contains(fragment)) {
                    return l;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no log line containing '" + fragment + "' within " + max + "; log:\n"
                + String.join("\n", lines));
    }

    @Override
    public void close() {
        ((Logger) LoggerFactory.getLogger("org.vxpool")).detachAppender(this);
        stop();
    }
}
