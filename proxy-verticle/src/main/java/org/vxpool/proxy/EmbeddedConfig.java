package org.vxpool.proxy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.config.ConfigException;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.config.ValueTypes;
import org.vxpool.proxy.routing.RoutingSettings;

/**
 * The configuration that SHOW pool_status and PGPOOL SHOW print for a proxy built from
 * {@link ProxySettings} alone (tests, embedding): the settings it runs with, defaults for the
 * rest. Its one backend only satisfies the loader: those SHOW commands list the cluster view's
 * nodes, as they do for a proxy built from pgpool.conf.
 */
final class EmbeddedConfig {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedConfig.class);
    private EmbeddedConfig() {
    }

    static PoolConfig of(ProxySettings s, RoutingSettings r) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Params.LISTEN_ADDRESSES.name(), String.join(",", s.listenAddresses()));
        m.put(Params.PORT.name(), Integer.toString(s.port()));
        m.put(Params.NUM_INIT_CHILDREN.name(), Integer.toString(s.numInitChildren()));
        m.put(Params.MAX_POOL.name(), Integer.toString(s.maxPool()));
        m.put(Params.RESET_QUERY_LIST.name(), String.join(";", s.resetQueryList()));
        m.put(Params.CONNECTION_LIFE_TIME.name(), Integer.toString(s.connectionLifeTime()));
        m.put(Params.CLIENT_IDLE_LIMIT.name(), Integer.toString(s.clientIdleLimit()));
        m.put(Params.AUTHENTICATION_TIMEOUT.name(), Integer.toString(s.authenticationTimeout()));
        m.put(Params.MAX_MESSAGE_LENGTH.name(), Integer.toString(s.maxMessageLength()));
        m.put(Params.CONNECT_TIMEOUT.name(), Integer.toString(s.backendConnectTimeoutMillis()));
        m.put(Params.POOL_MODE.name(), ValueTypes.configName(s.poolMode()));
        m.put(Params.DEFAULT_POOL_SIZE.name(), Integer.toString(s.defaultPoolSize()));
        m.put(Params.POOL_TIMEOUT.name(), Integer.toString(s.poolTimeoutMillis()));
        m.put(Params.SEARCH_PRIMARY_NODE_TIMEOUT.name(), Integer.toString(s.searchPrimaryNodeTimeout()));
        m.put(Params.TX_PIPELINE_DEPTH.name(), Integer.toString(s.txPipelineDepth()));
        m.put(Params.TX_PIPELINE_MAX_AGE.name(), Integer.toString(s.txPipelineMaxAgeMillis()));
        m.put(Params.LOAD_BALANCE_MODE.name(), r.loadBalance() ? "on" : "off");
        m.put(Params.DISABLE_LOAD_BALANCE_ON_WRITE.name(), ValueTypes.configName(r.writeMode()));
        m.put(Params.STATEMENT_LEVEL_LOAD_BALANCE.name(), r.statementLevel() ? "on" : "off");
        m.put(Params.ALLOW_SQL_COMMENTS.name(), r.allowSqlComments() ? "on" : "off");
        m.put(Params.IGNORE_LEADING_WHITE_SPACE.name(), r.ignoreLeadingWhiteSpace() ? "on" : "off");
        m.put(Params.DELAY_THRESHOLD.name(), Long.toString(r.delayThresholdBytes()));
        m.put(Params.DELAY_THRESHOLD_BY_TIME.name(), Long.toString(r.delayThresholdMillis()));
        m.put(Params.PREFER_LOWER_DELAY_STANDBY.name(), r.preferLowerDelayStandby() ? "on" : "off");
        PoolConfig placeholder = PoolConfig.parse("backend_hostname0 = 'localhost'\n", "<settings>");
        try {
            return placeholder.withOverrides(m);
        } catch (ConfigException e) {
            // settings the loader would refuse (tests push limits): SHOW prints the defaults rather
            // than keep the proxy from starting
            log.debug("SHOW pool_status prints defaults: {}", e.getMessage());
            return placeholder;
        }
    }
}
