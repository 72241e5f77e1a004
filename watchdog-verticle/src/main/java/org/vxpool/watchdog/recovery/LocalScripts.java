package org.vxpool.watchdog.recovery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.vxpool.common.config.BackendConfig;
import org.vxpool.watchdog.failover.ScriptRunner;

/**
 * {@code recovery_mode = local}: the scripts run on the Active vxpool node's host, through
 * {@code /bin/sh -c} on a worker thread, with pgpool's arguments appended (shell-quoted) so that the
 * same scripts serve both modes. Output and exit status are logged and returned on failure.
 */
final class LocalScripts implements RecoveryScripts {
    /** Enough of a failing script's output to say why, without flooding a reply. */
    private static final int MAX_OUTPUT = 2000;

    private final Vertx vertx;
    private final RecoverySettings settings;

    LocalScripts(Vertx vertx, RecoverySettings settings) {
        this.vertx = vertx;
        this.settings = settings;
    }

    /** pgpool's order: primary PGDATA, dest host, dest PGDATA, primary port, dest id, dest port, primary host. */
    @Override
    public Future<Void> firstStage(Target t) {
        BackendConfig p = t.primary();
        BackendConfig d = t.dest();
        return run("recovery_1st_stage_command", settings.effectiveFirstStageTimeout(), settings.firstStageCommand(),
                p.dataDirectory(), d.host(), d.dataDirectory(), String.valueOf(p.port()), String.valueOf(d.id()),
                String.valueOf(d.port()), p.host());
    }

    /** pgpool_remote_start's arguments: dest host, dest PGDATA. */
    @Override
    public Future<Void> remoteStart(Target t, Duration timeout) {
        return run("recovery_remote_start_command", timeout, settings.remoteStartCommand(),
                t.dest().host(), t.dest().dataDirectory());
    }

    private Future<Void> run(String what, Duration timeout, String command, String... args) {
        StringBuilder line = new StringBuilder(command);
        for (String a : args) {
            line.append(' ').append(quote(a));
        }
        return new ScriptRunner(vertx, timeout).run(what, line.toString()).compose(r -> r.ok()
                ? Future.succeededFuture()
                : Future.failedFuture(new IllegalStateException(what + " "
                        + (r.timedOut() ? "killed after " + timeout.toSeconds() + " s" : "exited with status " + r.exitCode())
                        + output(r))));
    }

    private static String output(ScriptRunner.Result r) {
        String out = (r.stdout().strip() + "\n" + r.stderr().strip()).strip();
        if (out.isEmpty()) {
            return "";
        }
        return "; output: " + (out.length() > MAX_OUTPUT ? "..." + out.substring(out.length() - MAX_OUTPUT) : out);
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
