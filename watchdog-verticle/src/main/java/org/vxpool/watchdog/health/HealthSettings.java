package org.vxpool.watchdog.health;

import java.time.Duration;

/**
 * Health-check settings of one backend, after pgpool's per-node fallback
 * ({@code health_check_period1} falls back to {@code health_check_period}).
 *
 * @param period {@code health_check_period}; zero disables the periodic check (event-driven
 *     checks after a backend error still run)
 * @param timeout {@code health_check_timeout}: bound of one whole attempt (connect and login)
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

    public boolean periodic() {
        return !period.isZero();
    }

    /** pgpool's defaults, with the period given. */
    public static HealthSettings defaults(String user, String password, Duration period) {
        return new HealthSettings(period, Duration.ofSeconds(20), user, password, "", 0,
                Duration.ofSeconds(1), Duration.ofSeconds(10));
    }
}
