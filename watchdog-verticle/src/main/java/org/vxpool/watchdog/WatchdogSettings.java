package org.vxpool.watchdog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vxpool.common.config.BackendConfig;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.watchdog.failover.FailoverSettings;
import org.vxpool.watchdog.health.HealthPasswords;
import org.vxpool.watchdog.health.HealthSettings;
import org.vxpool.watchdog.recovery.RecoverySettings;

/**
 * Everything the watchdog verticle reads from the configuration, in the shape it uses.
 *
 * @param statusFile {@code <logdir>/pgpool_status}, or vxpool's {@code status_file}
 * @param health per backend, indexed like {@code backends}
 */
public record WatchdogSettings(
        Path statusFile,
        boolean useWatchdog,
        List<BackendConfig> backends,
        List<HealthSettings> health,
        FailoverSettings failover,
        RecoverySettings recovery) {

    public WatchdogSettings {
        backends = List.copyOf(backends);
        health = List.copyOf(health);
        if (backends.size() != health.size()) {
            throw new IllegalArgumentException(backends.size() + " backends but " + health.size()
                    + " health settings");
        }
    }

    /** Without online recovery settings: every recovery request is refused. */
    public WatchdogSettings(Path statusFile, boolean useWatchdog, List<BackendConfig> backends,
                            List<HealthSettings> health, FailoverSettings failover) {
        this(statusFile, useWatchdog, backends, health, failover, RecoverySettings.NONE);
    }

    public static WatchdogSettings from(PoolConfig config) {
        String explicit = config.get(Params.STATUS_FILE);
        Path statusFile = explicit.isEmpty()
                ? config.resolve(config.get(Params.LOGDIR)).resolve("pgpool_status")
                : config.resolve(explicit);
        List<HealthSettings> health = new ArrayList<>();
        HealthPasswords passwords = new HealthPasswords(config);
        for (BackendConfig b : config.backends()) {
            health.add(HealthSettings.from(config, b.id(), passwords));
        }
        return new WatchdogSettings(statusFile, config.get(Params.USE_WATCHDOG), config.backends(), health,
                FailoverSettings.from(config), RecoverySettings.from(config));
    }
}
