package org.vxpool.proxy.pool;

/** What makes two backend connections interchangeable: same node, user and database. */
public record PoolKey(int nodeId, String user, String database) {

    /**
     * Looked up several times per transaction in transaction pooling: written out, because the
     * record's generated equals goes through method handles and showed up in profiles.
     */
    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof PoolKey k && nodeId == k.nodeId && user.equals(k.user) && database.equals(k.database));
    }

    @Override
    public int hashCode() {
        return (31 * nodeId + user.hashCode()) * 31 + database.hashCode();
    }
}
