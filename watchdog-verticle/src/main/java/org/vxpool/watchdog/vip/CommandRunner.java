package org.vxpool.watchdog.vip;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
        return run(purpose, command, routine, null);
    }

    /**
     * As a routine {@link #run(String, String, boolean)}, but after {@code deadline} the command is
     * asked to finish (SIGTERM, not a kill): iputils {@code arping} then prints its tally and exits
     * with the status its own {@code -w} would have given, which {@code -w} cannot do under a
     * second. Only when it does not finish within the timeout is it killed.
     */
    public CommandResult runUntil(String purpose, String command, Duration deadline) {
        return run(purpose, command, true, deadline);
    }

    private CommandResult run(String purpose, String command, boolean routine, Duration deadline) {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            LOG.error("watchdog: {} could not start \"{}\": {}", purpose, command, e.getMessage());
            return new CommandResult(command, -1, e.getMessage(), false);
        }
        return waitFor(purpose, command, process, routine, deadline);
    }

    private CommandResult waitFor(String purpose, String command, Process process, boolean routine, Duration deadline) {
        OutputCollector collector = new OutputCollector(process.getInputStream());
        collector.start();
        boolean finished;
        if (deadline != null && deadline.compareTo(timeout) < 0) {
            finished = waitFor(process, deadline);
            if (!finished) {
                askToFinish(process);
                finished = waitFor(process, timeout.minus(deadline));
            }
        } else {
            finished = waitFor(process, timeout);
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

    private static boolean waitFor(Process process, Duration limit) {
        try {
            return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * SIGTERM to the program the shell runs (a sudo passes it on), not to the shell: a shell that
     * died of it would report 143 instead of the program's own exit status. When the shell exec'd
     * the program there are no children and the process is the program.
     */
    private static void askToFinish(Process process) {
        List<ProcessHandle> children = process.children().toList();
        if (children.isEmpty()) {
            process.destroy();
        } else {
            children.forEach(ProcessHandle::destroy);
        }
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
