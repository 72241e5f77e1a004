package org.vxpool.watchdog;

import io.vertx.core.Vertx;
import org.vxpool.common.config.PoolConfig;

/**
 * Creates the {@link Leadership} for {@code use_watchdog = on} when the verticle starts (on its
 * event loop). {@link WatchdogVerticle}'s launcher constructor uses the Hazelcast election; tests
 * and embedders may pass another one.
 */
public interface LeadershipProvider {
    Leadership create(Vertx vertx, PoolConfig config);
}
