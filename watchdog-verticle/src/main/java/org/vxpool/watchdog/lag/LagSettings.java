package org.vxpool.watchdog.lag;

import java.time.Duration;
import org.vxpool.common.config.ConfigPasswords;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.config.PoolKey;

/**
 * {@code sr_check_*}: how often and as whom the Active node measures replication lag.
 *
 * @param period zero turns the measurement off
 * @param timeout bound of one connection + query to one backend
 */
public record LagSettings(Duration period, String user, String password, String database, Duration timeout) {

    public LagSettings {
        password = password == null ? "" : password;
        database = database == null ? "" : database;
    }

    public boolean enabled() {
        return !period.isZero() && !user.isEmpty();
    }

    public static LagSettings from(PoolConfig c) {
        long period = c.get(Params.SR_CHECK_PERIOD);
        return new LagSettings(Duration.ofSeconds(period), c.get(Params.SR_CHECK_USER),
                ConfigPasswords.clear("sr_check_password", c.get(Params.SR_CHECK_PASSWORD), PoolKey.fromEnvironment()),
                c.get(Params.SR_CHECK_DATABASE), Duration.ofSeconds(Math.max(1, Math.min(period, 10))));
    }
}
