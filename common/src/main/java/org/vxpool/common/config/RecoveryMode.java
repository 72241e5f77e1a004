package org.vxpool.common.config;

/**
 * vxpool's {@code recovery_mode}: where the online-recovery scripts run.
 *
 * <p>{@code extension}: like pgpool-II, through the {@code pgpool_recovery} extension on the
 * primary, which runs the scripts from the primary's data directory as the PostgreSQL OS user.
 * {@code local}: on the Active vxpool node's host, for installations without the extension.
 */
public enum RecoveryMode {
    EXTENSION,
    LOCAL
}
