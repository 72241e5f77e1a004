package org.vxpool.watchdog.recovery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import org.vxpool.common.config.BackendConfig;
import org.vxpool.watchdog.health.PgProbe;

/**
 * {@code recovery_mode = extension}: pgpool-II's way. The {@code pgpool_recovery} extension on the
 * primary runs {@code <primary PGDATA>/<recovery_1st_stage_command>} and
 * {@code <primary PGDATA>/pgpool_remote_start} through {@code system()}, as the PostgreSQL OS user,
 * so scripts written for pgpool-II keep working. Their output goes to the primary's server log;
 * with logging_collector on, a failure reason carries what was logged during the call.
 */
final class ExtensionScripts implements RecoveryScripts {
    /**
     * The 7-argument form of pgpool-II 4.1+ (4.3's extension 1.4 declares the ports as text).
     * pgpool connects to template1, so that is where the extension has to be created.
     */
    private static final String RECOVERY_SQL =
            "SELECT pgpool_recovery($1::text, $2::text, $3::text, $4::text, $5::integer, $6::text, $7::text)";
    private static final String REMOTE_START_SQL = "SELECT pgpool_remote_start($1::text, $2::text)";
    private static final String DATABASE = "template1";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final int LOG_LINES = 15;
    private static final int LOG_BYTES = 65536;
    /** Up to 2 s for the logging collector to write what the failed script printed. */
    private static final int LOG_READS = 20;
    private static final long LOG_READ_PAUSE_MS = 100;
    /** SQLSTATE undefined_function. */
    private static final String NO_SUCH_FUNCTION = "42883";

    private final Vertx vertx;
    private final RecoverySettings settings;

    ExtensionScripts(Vertx vertx, RecoverySettings settings) {
        this.vertx = vertx;
        this.settings = settings;
    }

    @Override
    public Future<Void> firstStage(Target t) {
        BackendConfig p = t.primary();
        BackendConfig d = t.dest();
        return call(p, settings.effectiveFirstStageTimeout(), RECOVERY_SQL, Tuple.of(settings.firstStageCommand(),
                d.host(), d.dataDirectory(), String.valueOf(p.port()), d.id(), String.valueOf(d.port()), p.host()));
    }

    @Override
    public Future<Void> remoteStart(Target t, Duration timeout) {
        return call(t.primary(), timeout, REMOTE_START_SQL, Tuple.of(t.dest().host(), t.dest().dataDirectory()));
    }

    private Future<Void> call(BackendConfig primary, Duration timeout, String sql, Tuple args) {
        PgProbe.Target target = new PgProbe.Target(primary.host(), primary.port(), settings.user(), settings.password(),
                DATABASE, CONNECT_TIMEOUT);
        return PgProbe.withConnection(vertx, target, timeout, conn -> logSize(conn).compose(offset ->
                        conn.preparedQuery(sql).execute(args).<Void>mapEmpty()
                                .recover(e -> logSince(conn, offset, LOG_READS).transform(tail -> Future.<Void>failedFuture(
                                        new IllegalStateException(e.getMessage() + tail.result()))))))
                .recover(e -> Future.failedFuture(new IllegalStateException(explain(e, primary))));
    }

    /**
     * The script writes to the server's stderr. With logging_collector on, that is the current log
     * file, which a superuser can read: what was logged during the call becomes part of the
     * reason. Without the collector (or the right to read it), null: nothing to show.
     */
    private static Future<Long> logSize(SqlConnection conn) {
        return conn.query("SELECT (pg_stat_file(f)).size FROM pg_current_logfile() AS f WHERE f IS NOT NULL").execute()
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong(0) : null)
                .otherwise((Long) null);
    }

    /**
     * The collector is a separate process fed through a pipe, so the script's lines can reach the
     * file a moment after the call failed: read again a few times before concluding nothing was
     * logged.
     */
    private Future<String> logSince(SqlConnection conn, Long offset, int readsLeft) {
        if (offset == null) {
            return Future.succeededFuture("");
        }
        return conn.preparedQuery("SELECT pg_read_file(f, $1, " + LOG_BYTES + ") FROM pg_current_logfile() AS f")
                .execute(Tuple.of(offset))
                .map(rows -> {
                    String text = rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null;
                    List<String> lines = text == null ? List.of()
                            : text.lines().filter(l -> !l.isBlank() && !l.contains("STATEMENT:")).toList();
                    return lines.isEmpty() ? "" : "; server log: "
                            + String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
                })
                .otherwise("")
                .compose(tail -> tail.isEmpty() && readsLeft > 1
                        ? vertx.timer(LOG_READ_PAUSE_MS).compose(v -> logSince(conn, offset, readsLeft - 1))
                        : Future.succeededFuture(tail));
    }

    private static String explain(Throwable e, BackendConfig primary) {
        String where = "primary node " + primary.id() + " " + primary.host() + "(" + primary.port() + ")";
        String msg = e.getMessage();
        if (msg != null && msg.contains(NO_SUCH_FUNCTION)) {
            return msg + "; is the pgpool_recovery extension created in template1 of " + where + "?";
        }
        return msg.contains("; server log: ") ? msg + " (" + where + ")"
                : msg + "; the script's output is in the server log of " + where;
    }
}
