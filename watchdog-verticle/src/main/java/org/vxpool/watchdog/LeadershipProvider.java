package org.vxpool.watchdog;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.vxpool.common.config.PoolConfig;

/**
 * Creates the {@link Leadership} for {@code use_watchdog = on} when the verticle starts. Called on
 * the verticle's event loop, so blocking work goes through {@code executeBlocking}.
 * {@link WatchdogVerticle}'s launcher constructor uses the Hazelcast election; tests and embedders
 * may pass another one.
 */
public interface LeadershipProvider {
    Future<Leadership> create(Vertx vertx, PoolConfig config);
}
