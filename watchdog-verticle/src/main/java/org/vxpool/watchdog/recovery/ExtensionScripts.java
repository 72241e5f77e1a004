package org.vxpool.watchdog.recovery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import org.vxpool.common.config.BackendConfig;
import org.vxpool.watchdog.health.PgProbe;

/**
 * {@code recovery_mode = extension}: pgpool-II's way. The {@code pgpool_recovery} extension on the
 * primary runs {@code <primary PGDATA>/<recovery_1st_stage_command>} and
 * {@code <primary PGDATA>/pgpool_remote_start} through {@code system()}, as the PostgreSQL OS user,
 * so scripts written for pgpool-II keep working. Their output goes to the primary's server log,
 * not to us.
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
        return PgProbe.withConnection(vertx, target, timeout, conn -> conn.preparedQuery(sql).execute(args))
                .<Void>mapEmpty()
                .recover(e -> Future.failedFuture(new IllegalStateException(explain(e, primary))));
    }

    private static String explain(Throwable e, BackendConfig primary) {
        String where = "primary node " + primary.id() + " " + primary.host() + "(" + primary.port() + ")";
        String msg = e.getMessage();
        if (msg != null && msg.contains(NO_SUCH_FUNCTION)) {
            return msg + "; is the pgpool_recovery extension created in template1 of " + where + "?";
        }
        return msg + "; the script's output is in the server log of " + where;
    }
}
