package org.vxpool.watchdog.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Short-lived connections to a backend for health checks, role queries and promotion. Every use
 * opens a fresh connection, so a check sees the server as a new client would.
 *
 * <p>Each use builds a one-connection pool and closes it afterwards, and the whole use is bounded
 * with {@code Future.timeout}: vertx-pg-client 5.0.7 ignores the NetClient connect timeout, and a
 * server that accepts but never answers would otherwise hold the attempt forever. Closing the pool
 * also closes a socket still waiting for that server. {@link ProbeScope} lets the pool's NetClient
 * be collected afterwards.
 */
public final class PgProbe {
    /** SQLSTATE invalid_catalog_name: the database does not exist. */
    private static final String NO_SUCH_DATABASE = "3D000";

    private PgProbe() {
    }

    /**
     * Where and as whom to connect.
     *
     * @param database empty means pgpool's fallback: {@code postgres}, then {@code template1}
     */
    public record Target(String host, int port, String user, String password, String database,
                         Duration connectTimeout) {

        public static Target of(String host, int port, HealthSettings s) {
            return new Target(host, port, s.user(), s.password(), s.database(), s.connectTimeout());
        }
    }

    /** Connects, runs {@code work}, disconnects; all of it within {@code timeout}. */
    public static <T> Future<T> withConnection(Vertx vertx, Target target, Duration timeout,
                                               Function<SqlConnection, Future<T>> work) {
        return ProbeScope.run(vertx, () -> attempt(vertx, target, timeout, work));
    }

    private static <T> Future<T> attempt(Vertx vertx, Target target, Duration timeout,
                                         Function<SqlConnection, Future<T>> work) {
        List<Pool> pools = new ArrayList<>();
        Future<T> attempt;
        if (target.database().isEmpty()) {
            attempt = once(vertx, target, "postgres", work, pools).recover(e -> isNoSuchDatabase(e)
                    ? once(vertx, target, "template1", work, pools)
                    : Future.failedFuture(e));
        } else {
            attempt = once(vertx, target, target.database(), work, pools);
        }
        return attempt.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                // Closing the pool also when we gave up (timeout) releases a socket still waiting for an answer.
                .andThen(ar -> pools.forEach(Pool::close))
                .recover(e -> Future.failedFuture(new ProbeException(
                        e instanceof TimeoutException ? "timed out after " + timeout.toMillis() + " ms" : describe(e), e)));
    }

    /** A health-check attempt: log in and out. */
    public static Future<Void> check(Vertx vertx, Target target, Duration timeout) {
        return withConnection(vertx, target, timeout, conn -> Future.succeededFuture());
    }

    /** Runs one query and returns its rows. */
    public static Future<List<Row>> query(Vertx vertx, Target target, Duration timeout, String sql) {
        return withConnection(vertx, target, timeout, conn -> conn.query(sql).execute().map(PgProbe::rows));
    }

    private static List<Row> rows(RowSet<Row> set) {
        List<Row> list = new ArrayList<>();
        set.forEach(list::add);
        return list;
    }

    private static <T> Future<T> once(Vertx vertx, Target target, String database,
                                      Function<SqlConnection, Future<T>> work, List<Pool> pools) {
        PgConnectOptions options = new PgConnectOptions()
                .setHost(target.host())
                .setPort(target.port())
                .setUser(target.user())
                .setPassword(target.password())
                .setDatabase(database)
                .addProperty("application_name", "vxpool health check");
        Pool pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(1))
                .with(new NetClientOptions().setConnectTimeout((int) target.connectTimeout().toMillis()))
                .connectingTo(options)
                .using(vertx)
                .build();
        pools.add(pool);
        return pool.getConnection().compose(conn -> work.apply(conn).andThen(ar -> conn.close()));
    }

    static boolean isNoSuchDatabase(Throwable e) {
        return e instanceof PgException pg && NO_SUCH_DATABASE.equals(pg.getSqlState());
    }

    static String describe(Throwable e) {
        if (e instanceof PgException pg) {
            return pg.getErrorMessage() + " (SQLSTATE " + pg.getSqlState() + ")";
        }
        String msg = e.getMessage();
        return msg == null ? e.getClass().getSimpleName() : msg;
    }
}
