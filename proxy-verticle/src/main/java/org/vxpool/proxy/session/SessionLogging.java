package org.vxpool.proxy.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;

/**
 * pgpool-II's {@code log_connections}, {@code log_disconnections}, {@code log_statement},
 * {@code log_per_node_statement} and {@code log_client_messages}: INFO lines when a client
 * connects, when its session ends, for each statement, for each statement a backend is sent and
 * for each message a client sends ({@link ClientMessageLog}); {@code log_hostname} names the
 * client's host in the first two. Read by every session and statement, so the switches are plain
 * booleans and nothing is built while they are off.
 */
public record SessionLogging(boolean connections, boolean disconnections, boolean statements, boolean perNodeStatements,
                             boolean clientMessages, boolean hostnames) {
    public static final SessionLogging OFF = new SessionLogging(false, false, false, false, false, false);
    private static final Logger LOG = LoggerFactory.getLogger(SessionLogging.class);

    public static SessionLogging from(PoolConfig config) {
        return new SessionLogging(config.get(Params.LOG_CONNECTIONS), config.get(Params.LOG_DISCONNECTIONS),
                config.get(Params.LOG_STATEMENT), config.get(Params.LOG_PER_NODE_STATEMENT), config.get(Params.LOG_CLIENT_MESSAGES),
                config.get(Params.LOG_HOSTNAME));
    }

    /** Whether the proxy must decode statements it could otherwise relay untouched. */
    boolean anyStatement() {
        return statements || perNodeStatements;
    }

    void statement(String sql) {
        if (statements) {
            LOG.info("statement: {}", sql);
        }
    }

    void nodeStatement(int node, String sql) {
        if (perNodeStatements) {
            LOG.info("DB node id: {} statement: {}", node, sql);
        }
    }
}
