package org.vxpool.common.config;

/** How watchdog members check each other ({@code wd_lifecheck_method}). */
public enum LifecheckMethod {
    HEARTBEAT, QUERY, EXTERNAL
}
