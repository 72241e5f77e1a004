package org.vxpool.common.config;

/** Severity levels of {@code log_min_messages}, lowest first, as in pgpool-II and PostgreSQL. */
public enum LogLevel {
    DEBUG5, DEBUG4, DEBUG3, DEBUG2, DEBUG1, INFO, NOTICE, WARNING, ERROR, LOG, FATAL, PANIC
}
