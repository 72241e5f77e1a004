package org.vxpool.proxy;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.config.PoolMode;
import org.vxpool.proxy.protocol.PgProtocol;

/**
 * Every setting the proxy reads, in the units it uses them. Tests build it directly; production
 * code derives it from the pool configuration.
 *
 * @param listenAddresses hosts to listen on; {@code *} means every IPv4 interface
 * @param numInitChildren most concurrent clients over all proxy instances of this JVM
 * @param maxPool most idle pooled connections per (node, user, database) and event loop
 * @param resetQueryList statements run, one Query each, before a connection goes back to the pool
 * @param connectionLifeTime seconds a pooled connection may stay idle; 0 = forever
 * @param clientIdleLimit seconds a client may stay idle between queries; 0 = forever
 * @param authenticationTimeout seconds a client has to finish start-up; 0 = forever
 * @param maxMessageLength largest frontend message length accepted
 * @param backendConnectTimeoutMillis TCP connect timeout towards backends
 * @param poolMode session (pgpool) or transaction (a backend connection per transaction)
 * @param defaultPoolSize transaction mode: backend connections per (node, user, database) and event loop
 * @param poolTimeoutMillis transaction mode: how long a transaction waits for a connection; 0 = forever
 * @param searchPrimaryNodeTimeout seconds; a new client waits for a primary until this long after
 *                                 the proxy last had one (0 = as long as the watchdog searches: one hour)
 * @param txPipelineDepth transaction mode: units of several clients on one busy connection when the
 *                        pool is full, the running one included; 1 = no pipelining
 */
public record ProxySettings(
        List<String> listenAddresses,
        int port,
        int numInitChildren,
        int maxPool,
        List<String> resetQueryList,
        int connectionLifeTime,
        int clientIdleLimit,
        int authenticationTimeout,
        int maxMessageLength,
        int backendConnectTimeoutMillis,
        PoolMode poolMode,
        int defaultPoolSize,
        int poolTimeoutMillis,
        int searchPrimaryNodeTimeout,
        int txPipelineDepth,
        int txPipelineMaxAgeMillis) {

    public static final List<String> DEFAULT_RESET_QUERY_LIST = List.of("ABORT", "DISCARD ALL");
    /** pgpool-II's default search_primary_node_timeout. */
    public static final int DEFAULT_SEARCH_PRIMARY_NODE_TIMEOUT = 300;
    /** What 0 (pgpool: search forever) means, as the watchdog's primary search reads it. */
    private static final long FOREVER_CAP_SECONDS = 3600;
    public static final int DEFAULT_TX_PIPELINE_DEPTH = 4;
    public static final int DEFAULT_TX_PIPELINE_MAX_AGE = 10;

    public ProxySettings {
        listenAddresses = List.copyOf(listenAddresses);
        resetQueryList = List.copyOf(resetQueryList);
    }

    /** Session pooling, as before transaction mode existed. */
    public ProxySettings(List<String> listenAddresses, int port, int numInitChildren, int maxPool,
                         List<String> resetQueryList, int connectionLifeTime, int clientIdleLimit,
                         int authenticationTimeout, int maxMessageLength, int backendConnectTimeoutMillis) {
        this(listenAddresses, port, numInitChildren, maxPool, resetQueryList, connectionLifeTime, clientIdleLimit,
                authenticationTimeout, maxMessageLength, backendConnectTimeoutMillis, PoolMode.SESSION, 20, 30_000,
                DEFAULT_SEARCH_PRIMARY_NODE_TIMEOUT, DEFAULT_TX_PIPELINE_DEPTH, DEFAULT_TX_PIPELINE_MAX_AGE);
    }

    public boolean transactionMode() {
        return poolMode == PoolMode.TRANSACTION;
    }

    /** pgpool-II's defaults (num_init_children 32, max_pool 4, ...) listening on {@code host:port}. */
    public static ProxySettings defaults(String host, int port) {
        return new ProxySettings(List.of(host), port, 32, 4, DEFAULT_RESET_QUERY_LIST, 0, 0, 60,
                PgProtocol.LARGE_MESSAGE_LIMIT, 10_000);
    }

    /** The proxy's settings from pgpool.conf. */
    public static ProxySettings from(PoolConfig config) {
        return new ProxySettings(
                config.get(Params.LISTEN_ADDRESSES),
                config.get(Params.PORT),
                config.get(Params.NUM_INIT_CHILDREN),
                config.get(Params.MAX_POOL),
                config.get(Params.RESET_QUERY_LIST).stream().map(String::trim).filter(q -> !q.isEmpty()).toList(),
                config.get(Params.CONNECTION_LIFE_TIME),
                config.get(Params.CLIENT_IDLE_LIMIT),
                config.get(Params.AUTHENTICATION_TIMEOUT),
                config.get(Params.MAX_MESSAGE_LENGTH),
                config.get(Params.CONNECT_TIMEOUT),
                config.get(Params.POOL_MODE),
                config.get(Params.DEFAULT_POOL_SIZE),
                config.get(Params.POOL_TIMEOUT),
                config.get(Params.SEARCH_PRIMARY_NODE_TIMEOUT),
                config.get(Params.TX_PIPELINE_DEPTH),
                config.get(Params.TX_PIPELINE_MAX_AGE));
    }

    /** How long after the proxy last had a primary a new client may still wait for one. */
    public long primaryWaitNanos() {
        return TimeUnit.SECONDS.toNanos(searchPrimaryNodeTimeout == 0 ? FOREVER_CAP_SECONDS : searchPrimaryNodeTimeout);
    }

    /** The hosts to bind: {@code *} becomes 0.0.0.0, comma lists are split, duplicates dropped. */
    public List<String> bindHosts() {
        return listenAddresses.stream()
                .flatMap(a -> Arrays.stream(a.split(",")))
                .map(String::trim)
                .filter(a -> !a.isEmpty())
                .map(a -> a.equals("*") ? "0.0.0.0" : a)
                .distinct()
                .toList();
    }

    /** Splits pgpool's {@code reset_query_list} ("ABORT; DISCARD ALL") into statements. */
    public static List<String> parseResetQueryList(String value) {
        return Arrays.stream(value.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public ProxySettings withNumInitChildren(int n) {
        return new ProxySettings(listenAddresses, port, n, maxPool, resetQueryList, connectionLifeTime,
                clientIdleLimit, authenticationTimeout, maxMessageLength, backendConnectTimeoutMillis,
                poolMode, defaultPoolSize, poolTimeoutMillis, searchPrimaryNodeTimeout, txPipelineDepth, txPipelineMaxAgeMillis);
    }

    public ProxySettings withMaxPool(int n) {
        return new ProxySettings(listenAddresses, port, numInitChildren, n, resetQueryList, connectionLifeTime,
                clientIdleLimit, authenticationTimeout, maxMessageLength, backendConnectTimeoutMillis,
                poolMode, defaultPoolSize, poolTimeoutMillis, searchPrimaryNodeTimeout, txPipelineDepth, txPipelineMaxAgeMillis);
    }

    public ProxySettings withTimeouts(int lifeTime, int idleLimit, int authTimeout) {
        return new ProxySettings(listenAddresses, port, numInitChildren, maxPool, resetQueryList, lifeTime,
                idleLimit, authTimeout, maxMessageLength, backendConnectTimeoutMillis,
                poolMode, defaultPoolSize, poolTimeoutMillis, searchPrimaryNodeTimeout, txPipelineDepth, txPipelineMaxAgeMillis);
    }

    public ProxySettings withMaxMessageLength(int n) {
        return new ProxySettings(listenAddresses, port, numInitChildren, maxPool, resetQueryList, connectionLifeTime,
                clientIdleLimit, authenticationTimeout, n, backendConnectTimeoutMillis,
                poolMode, defaultPoolSize, poolTimeoutMillis, searchPrimaryNodeTimeout, txPipelineDepth, txPipelineMaxAgeMillis);
    }

    /** Transaction pooling with {@code poolSize} connections per key and event loop. */
    public ProxySettings withTransactionPooling(int poolSize, int timeoutMillis) {
        return new ProxySettings(listenAddresses, port, numInitChildren, maxPool, resetQueryList, connectionLifeTime,
                clientIdleLimit, authenticationTimeout, maxMessageLength, backendConnectTimeoutMillis,
                PoolMode.TRANSACTION, poolSize, timeoutMillis, searchPrimaryNodeTimeout, txPipelineDepth, txPipelineMaxAgeMillis);
    }

    public ProxySettings withTxPipelineDepth(int depth) {
        return new ProxySettings(listenAddresses, port, numInitChildren, maxPool, resetQueryList, connectionLifeTime,
                clientIdleLimit, authenticationTimeout, maxMessageLength, backendConnectTimeoutMillis,
                poolMode, defaultPoolSize, poolTimeoutMillis, searchPrimaryNodeTimeout, depth, txPipelineMaxAgeMillis);
    }

    public ProxySettings withTxPipelineMaxAge(int millis) {
        return new ProxySettings(listenAddresses, port, numInitChildren, maxPool, resetQueryList, connectionLifeTime,
                clientIdleLimit, authenticationTimeout, maxMessageLength, backendConnectTimeoutMillis,
                poolMode, defaultPoolSize, poolTimeoutMillis, searchPrimaryNodeTimeout, txPipelineDepth, millis);
    }

    public ProxySettings withSearchPrimaryNodeTimeout(int seconds) {
        return new ProxySettings(listenAddresses, port, numInitChildren, maxPool, resetQueryList, connectionLifeTime,
                clientIdleLimit, authenticationTimeout, maxMessageLength, backendConnectTimeoutMillis,
                poolMode, defaultPoolSize, poolTimeoutMillis, seconds, txPipelineDepth, txPipelineMaxAgeMillis);
    }
}
