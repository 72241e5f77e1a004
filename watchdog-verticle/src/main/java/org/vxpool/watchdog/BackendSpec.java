package org.vxpool.watchdog;

import java.util.Set;

/**
 * One configured backend as the watchdog needs it: address, weight and the pgpool settings that
 * failover and placeholders use.
 *
 * @param dataDirectory {@code backend_data_directoryN}, the {@code %D}/{@code %R} placeholders
 * @param applicationName {@code backend_application_nameN}; matched against the primary's
 *     {@code pg_stat_replication.application_name} by auto_failback, may be empty
 */
public record BackendSpec(
        int id,
        String host,
        int port,
        double weight,
        String dataDirectory,
        Set<BackendFlag> flags,
        String applicationName) {

    public BackendSpec {
        flags = Set.copyOf(flags);
        dataDirectory = dataDirectory == null ? "" : dataDirectory;
        applicationName = applicationName == null ? "" : applicationName;
    }

    public boolean failoverAllowed() {
        return !flags.contains(BackendFlag.DISALLOW_TO_FAILOVER);
    }

    public boolean alwaysPrimary() {
        return flags.contains(BackendFlag.ALWAYS_PRIMARY);
    }

    public String hostPort() {
        return host + "(" + port + ")";
    }
}
