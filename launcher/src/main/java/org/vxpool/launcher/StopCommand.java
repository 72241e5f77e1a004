package org.vxpool.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code vxpool stop}: signals the node named by the pid file and waits for it to exit. */
final class StopCommand {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final PidFile pidFile;
    private final ShutdownMode mode;
    private final Duration timeout;

    StopCommand(PidFile pidFile, ShutdownMode mode, Duration timeout) {
        this.pidFile = pidFile;
        this.mode = mode;
        this.timeout = timeout;
    }

    /** Returns the exit status: 0 once the node is gone, 1 otherwise (with the reason on err). */
    int run(PrintStream out, PrintStream err) {
        try {
            ProcessHandle node = runningNode();
            signal(node.pid());
            out.println("vxpool: " + mode.label() + " shutdown requested (SIG" + mode.stopSignal() + " to "
                    + node.pid() + "), waiting up to " + timeout.toSeconds() + " s");
            awaitExit(node);
            out.println("vxpool stopped");
            return 0;
        } catch (LaunchException e) {
            err.println("vxpool: " + e.getMessage());
            return 1;
        }
    }

    private ProcessHandle runningNode() throws LaunchException {
        OptionalLong pid = pidFile.read();
        if (pid.isEmpty()) {
            throw new LaunchException("pid file " + pidFile.path() + " does not exist; is vxpool running?");
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid.getAsLong()).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            throw new LaunchException("pid file " + pidFile.path() + " names process " + pid.getAsLong()
                    + ", which is not running (stale pid file?)");
        }
        return handle.get();
    }

    /** Java can only send SIGTERM and SIGKILL itself; the other modes need kill(1). */
    private void signal(long pid) throws LaunchException {
        ProcessBuilder kill = new ProcessBuilder("kill", "-s", mode.stopSignal(), Long.toString(pid))
                .redirectErrorStream(true);
        try {
            Process process = kill.start();
            String output = new String(process.getInputStream().readAllBytes()).strip();
            if (process.waitFor() != 0) {
                throw new LaunchException("could not signal process " + pid + ": " + output);
            }
        } catch (IOException e) {
            throw new LaunchException("could not run kill: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while signalling process " + pid);
        }
    }

    private void awaitExit(ProcessHandle node) throws LaunchException {
        try {
            node.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String hint = mode == ShutdownMode.SMART ? " (smart shutdown waits for clients; try -m fast)" : "";
            throw new LaunchException("process " + node.pid() + " is still running after "
                    + timeout.toSeconds() + " s" + hint);
        } catch (ExecutionException e) {
            throw new LaunchException("could not wait for process " + node.pid() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while waiting for process " + node.pid());
        }
    }
}
