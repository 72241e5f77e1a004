package org.vxpool.watchdog.vip;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs pgpool-style command lines through {@code /bin/sh -c}, as pgpool does with {@code system()},
 * so operators' quoting, pipes and redirections keep working. Blocking: call it from a worker.
 */
public final class CommandRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);
    private static final int MAX_OUTPUT = 64 * 1024;

    private final Duration timeout;

    public CommandRunner(Duration timeout) {
        this.timeout = timeout;
    }

    /** Runs {@code command}; logs what ran, its exit status and its output. {@code purpose} names it in the log. */
    public CommandResult run(String purpose, String command) {
        return run(purpose, command, false);
    }

    /**
     * As {@link #run(String, String)}; routine checks (probes, pings every interval) pass
     * {@code routine = true}: they are logged at debug level and the caller logs what matters.
     */
    public CommandResult run(String purpose, String command, boolean routine) {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            LOG.error("watchdog: {} could not start \"{}\": {}", purpose, command, e.getMessage());
            return new CommandResult(command, -1, e.getMessage(), false);
        }
        return waitFor(purpose, command, process, routine);
    }

    private CommandResult waitFor(String purpose, String command, Process process, boolean routine) {
        OutputCollector collector = new OutputCollector(process.getInputStream());
        collector.start();
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            // The shell's children (sudo, ip, arping) would outlive a kill of the shell alone.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String output = collector.awaitOutput();
        int exit = finished ? process.exitValue() : -1;
        CommandResult result = new CommandResult(command, exit, output, !finished);
        if (routine) {
            LOG.debug("watchdog: {} \"{}\": exit status {}{}; output: {}", purpose, command, exit,
                    finished ? "" : " (timed out)", output);
        } else if (!finished) {
            LOG.error("watchdog: {} \"{}\" timed out after {} ms; output: {}", purpose, command,
                    timeout.toMillis(), output);
        } else if (exit != 0) {
            LOG.warn("watchdog: {} \"{}\" failed with exit status {}; output: {}", purpose, command, exit, output);
        } else {
            LOG.info("watchdog: {} \"{}\" succeeded; output: {}", purpose, command, output);
        }
        return result;
    }

    /** Drains the output on its own thread so a chatty command cannot block on a full pipe. */
    private static final class OutputCollector extends Thread {
        private final InputStream in;
        private final StringBuilder text = new StringBuilder();

        OutputCollector(InputStream in) {
            super("vxpool-command-output");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[4096];
            try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    synchronized (text) {
                        if (text.length() < MAX_OUTPUT) {
                            text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                        }
                    }
                }
            } catch (IOException e) {
                // The process was killed or closed its output: keep what we have.
            }
        }

        String awaitOutput() {
            try {
                join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (text) {
                return text.toString().strip();
            }
        }
    }
}
