package org.vxpool.common.config;

/** When replication delay is logged ({@code log_standby_delay}). */
public enum LogStandbyDelay {
    NONE, ALWAYS, IF_OVER_THRESHOLD
}
