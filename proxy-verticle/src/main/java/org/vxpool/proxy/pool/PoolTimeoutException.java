package org.vxpool.proxy.pool;

/** Transaction pooling: no connection of a key became free within pool_timeout. */
public final class PoolTimeoutException extends RuntimeException {

    public PoolTimeoutException(PoolKey key, int poolSize, long timeoutMillis) {
        super("no backend connection of pool (node " + key.nodeId() + ", user \"" + key.user() + "\", database \""
                + key.database() + "\") became free within pool_timeout (" + timeoutMillis + " ms): all "
                + poolSize + " connections (default_pool_size) are busy", null, false, false);
    }
}
