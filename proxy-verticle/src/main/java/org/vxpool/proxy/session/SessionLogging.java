package org.vxpool.proxy.session;

import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;

/**
 * pgpool-II's {@code log_connections} and {@code log_disconnections}: one INFO line when a client
 * connects and one when its session ends. Read by every session, so both are plain booleans.
 */
public record SessionLogging(boolean connections, boolean disconnections) {
    public static final SessionLogging OFF = new SessionLogging(false, false);

    public static SessionLogging from(PoolConfig config) {
        return new SessionLogging(config.get(Params.LOG_CONNECTIONS), config.get(Params.LOG_DISCONNECTIONS));
    }
}
