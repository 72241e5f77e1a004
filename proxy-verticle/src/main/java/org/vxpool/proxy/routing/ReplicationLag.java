package org.vxpool.proxy.routing;

/**
 * How far one standby is behind the primary, as the streaming-replication check last measured it.
 *
 * @param bytes WAL bytes between the primary's current LSN and the standby's replay LSN
 * @param millis replay lag in milliseconds ({@code pg_stat_replication.replay_lag})
 */
public record ReplicationLag(long bytes, long millis) {

    public static final ReplicationLag NONE = new ReplicationLag(0, 0);
}
