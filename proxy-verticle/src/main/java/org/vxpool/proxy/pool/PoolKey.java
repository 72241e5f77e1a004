package org.vxpool.proxy.pool;

/** What makes two backend connections interchangeable: same node, user and database. */
public record PoolKey(int nodeId, String user, String database) {
}
