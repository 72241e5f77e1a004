package org.vxpool.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vxpool.admin.AdminVerticle;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;

/**
 * What a node start needs, read from the configuration: where its pid file and logs go, the
 * cluster to join, and the verticles to deploy in order.
 */
record LaunchPlan(PidFile pidFile, Path logdir, Optional<ClusterSettings> cluster, List<VerticleSpec> verticles) {

    static LaunchPlan from(PoolConfig config, CommandLine cli) {
        return new LaunchPlan(pidFile(config), config.resolve(config.get(Params.LOGDIR)),
                ClusterSettings.from(config), verticles(config, cli));
    }

    static PidFile pidFile(PoolConfig config) {
        return new PidFile(config.resolve(config.get(Params.PID_FILE_NAME)));
    }

    /**
     * The watchdog first, so it holds cluster state before proxies ask for it; the admin API
     * last, so {@code /health} answers only once the node is complete.
     */
    private static List<VerticleSpec> verticles(PoolConfig config, CommandLine cli) {
        List<VerticleSpec> verticles = new ArrayList<>();
        // TODO(lead): deploy org.vxpool.watchdog.WatchdogVerticle(config, cli.discardStatus()) once,
        // then, unless proxy_enabled = off, org.vxpool.proxy.ProxyVerticle(config) with one
        // instance per event loop (VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE), once both are on main;
        // the proxy takes its pool_hba.conf from cli.hbaFile() (-a) when given.
        verticles.add(VerticleSpec.single("admin API", () -> new AdminVerticle(config)));
        return List.copyOf(verticles);
    }
}
