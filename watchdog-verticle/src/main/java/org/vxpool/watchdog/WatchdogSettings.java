package org.vxpool.watchdog;

import java.nio.file.Path;
import java.util.List;
import org.vxpool.watchdog.failover.FailoverSettings;
import org.vxpool.watchdog.health.HealthSettings;

/**
 * Everything the watchdog verticle reads from the configuration, in the shape it uses.
 *
 * @param logdir {@code logdir}: where {@code pgpool_status} lives
 * @param health per backend, indexed like {@code backends}
 */
public record WatchdogSettings(
        Path logdir,
        boolean useWatchdog,
        List<BackendSpec> backends,
        List<HealthSettings> health,
        FailoverSettings failover) {

    public WatchdogSettings {
        backends = List.copyOf(backends);
        health = List.copyOf(health);
        if (backends.size() != health.size()) {
            throw new IllegalArgumentException(backends.size() + " backends but " + health.size()
                    + " health settings");
        }
    }

    public Path statusFile() {
        return logdir.resolve("pgpool_status");
    }

    public WatchdogSettings withFailover(FailoverSettings f) {
        return new WatchdogSettings(logdir, useWatchdog, backends, health, f);
    }

    public WatchdogSettings withHealth(List<HealthSettings> h) {
        return new WatchdogSettings(logdir, useWatchdog, backends, h, failover);
    }
}
