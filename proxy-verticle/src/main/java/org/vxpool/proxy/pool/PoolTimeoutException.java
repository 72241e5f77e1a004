package org.vxpool.proxy.pool;

/** Transaction pooling: no connection of a key became free within pool_timeout. */
public final class PoolTimeoutException extends RuntimeException {

    public PoolTimeoutException(PoolKey key, int poolSize, long timeoutMillis) {
        this(key, poolSize, timeoutMillis, null);
    }

    /** @param refusal PostgreSQL's message refusing another connection of the key (53300), or null */
    public PoolTimeoutException(PoolKey key, int poolSize, long timeoutMillis, String refusal) {
        super("no backend connection of pool (node " + key.nodeId() + ", user \"" + key.user() + "\", database \""
                + key.database() + "\") became free within pool_timeout (" + timeoutMillis + " ms): "
                + (refusal == null ? "all " + poolSize + " connections (default_pool_size) are busy"
                        : "PostgreSQL refused another connection (" + refusal + ") and the open ones are busy"),
                null, false, false);
    }
}
