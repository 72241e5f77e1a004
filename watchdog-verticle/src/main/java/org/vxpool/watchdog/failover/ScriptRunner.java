package org.vxpool.watchdog.failover;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an operator's command ({@code failover_command} and friends) through {@code /bin/sh -c}
 * on a worker thread, with a timeout, and logs its output and exit status.
 */
public final class ScriptRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptRunner.class);

    /** How a command ended. {@code exitCode} is -1 when it was killed for running too long. */
    public record Result(int exitCode, boolean timedOut, String stdout, String stderr) {
        public boolean ok() {
            return !timedOut && exitCode == 0;
        }
    }

    private final Vertx vertx;
    private final Duration timeout;

    public ScriptRunner(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.timeout = timeout;
    }

    /** {@code what} names the setting in the log ("failover_command"). Never fails: see {@link Result}. */
    public Future<Result> run(String what, String command) {
        LOG.info("{}: executing: {}", what, command);
        return vertx.executeBlocking(() -> runBlocking(command), false)
                .recover(e -> Future.succeededFuture(new Result(-1, false, "", e.getMessage())))
                .andThen(ar -> log(what, ar.result()));
    }

    private Result runBlocking(String command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("vxpool-cmd", ".out");
        Path err = Files.createTempFile("vxpool-cmd", ".err");
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", command)
                    .redirectInput(new File("/dev/null"))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            return new Result(finished ? p.exitValue() : -1, !finished,
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void log(String what, Result r) {
        if (!r.stdout().isBlank()) {
            LOG.info("{}: stdout: {}", what, r.stdout().strip());
        }
        if (!r.stderr().isBlank()) {
            LOG.info("{}: stderr: {}", what, r.stderr().strip());
        }
        if (r.timedOut()) {
            LOG.error("{}: killed after running longer than the timeout", what);
        } else if (r.exitCode() != 0) {
            LOG.error("{}: exited with status {}", what, r.exitCode());
        } else {
            LOG.info("{}: exited with status 0", what);
        }
    }
}
