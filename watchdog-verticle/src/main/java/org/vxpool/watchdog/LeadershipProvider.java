package org.vxpool.watchdog;

import io.vertx.core.Vertx;
import org.vxpool.common.config.PoolConfig;

/**
 * Creates the clustered {@link Leadership} (the watchdog election) for {@code use_watchdog = on}.
 * {@link WatchdogVerticle} finds it with {@link java.util.ServiceLoader}, so the election lives
 * behind this seam and the failover code never names its classes; a launcher may also pass one in.
 */
public interface LeadershipProvider {
    Leadership create(Vertx vertx, PoolConfig config);
}
