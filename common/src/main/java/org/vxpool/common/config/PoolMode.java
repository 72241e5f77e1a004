package org.vxpool.common.config;

/** vxpool's {@code pool_mode}: when a backend connection returns to the pool. */
public enum PoolMode {
    /** pgpool's model: the client keeps its backend connections until it disconnects. */
    SESSION,
    /** PgBouncer's transaction mode: connections return to the pool at each transaction end. */
    TRANSACTION
}
