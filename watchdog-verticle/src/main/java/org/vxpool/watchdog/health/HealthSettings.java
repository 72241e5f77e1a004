package org.vxpool.watchdog.health;

import java.time.Duration;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;

/**
 * Health-check settings of one backend, after pgpool's per-node fallback
 * ({@code health_check_period1} falls back to {@code health_check_period}).
 *
 * @param period {@code health_check_period}; zero disables the periodic check (event-driven
 *     checks after a backend error still run)
 * @param timeout {@code health_check_timeout}: bound of one whole attempt (connect and login);
 *     zero is pgpool's "no timeout", see {@link #attemptTimeout()}
 * @param database {@code health_check_database}; empty means "postgres, then template1"
 * @param connectTimeout {@code connect_timeout}: TCP connect bound, below {@code timeout}
 */
public record HealthSettings(
        Duration period,
        Duration timeout,
        String user,
        String password,
        String database,
        int maxRetries,
        Duration retryDelay,
        Duration connectTimeout) {

    public HealthSettings {
        database = database == null ? "" : database;
        password = password == null ? "" : password;
    }

    /**
     * pgpool waits for the kernel to give up when the timeout is zero; an attempt that nothing
     * bounds would stall detection for good, so zero means two minutes, about a TCP connect's
     * own limit.
     */
    public Duration attemptTimeout() {
        return timeout.isZero() ? Duration.ofMinutes(2) : timeout;
    }

    public boolean periodic() {
        return !period.isZero();
    }

    /** Backend {@code node}'s settings: {@code health_check_periodN} and friends, else the global ones. */
    public static HealthSettings from(PoolConfig c, int node) {
        return from(c, node, new HealthPasswords(c));
    }

    /** As {@link #from(PoolConfig, int)}, an empty password falling back to pool_passwd via {@code passwords}. */
    public static HealthSettings from(PoolConfig c, int node, HealthPasswords passwords) {
        String user = c.get(Params.HEALTH_CHECK_USER_N, node);
        return new HealthSettings(
                c.duration(Params.HEALTH_CHECK_PERIOD_N, node),
                c.duration(Params.HEALTH_CHECK_TIMEOUT_N, node),
                user,
                passwords.password(user, c.get(Params.HEALTH_CHECK_PASSWORD_N, node)),
                c.get(Params.HEALTH_CHECK_DATABASE_N, node),
                c.get(Params.HEALTH_CHECK_MAX_RETRIES_N, node),
                c.duration(Params.HEALTH_CHECK_RETRY_DELAY_N, node),
                c.duration(Params.CONNECT_TIMEOUT_N, node));
    }
}
