package org.vxpool.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vxpool.admin.AdminVerticle;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.proxy.ProxyVerticle;
import org.vxpool.proxy.auth.AuthFiles;
import org.vxpool.watchdog.WatchdogVerticle;

/**
 * What a node start needs, read from the configuration: its pid file, the cluster to join, its
 * event loops and the verticles to deploy in order.
 */
record LaunchPlan(PidFile pidFile, Optional<ClusterSettings> cluster, int eventLoops, PoolSwitch pool,
        List<VerticleSpec> verticles) {

    static LaunchPlan from(PoolConfig config, CommandLine cli) {
        int eventLoops = EventLoops.of(config);
        PoolSwitch pool = new PoolSwitch(poolVerticles(config, cli, eventLoops));
        return new LaunchPlan(pidFile(config), ClusterSettings.from(config), eventLoops, pool,
                List.of(VerticleSpec.single("admin API", () -> new AdminVerticle(config, pool,
                        newer -> AuthFiles.problems(newer, cli.hbaFile().orElse(null))))));
    }

    /** Where logback writes, set up before the plan is made (see {@link Logging}). */
    static Path logdir(PoolConfig config) {
        return config.resolve(config.get(Params.LOGDIR));
    }

    static PidFile pidFile(PoolConfig config) {
        return new PidFile(config.resolve(config.get(Params.PID_FILE_NAME)));
    }

    /**
     * The watchdog first, so it holds cluster state before proxies ask for it. The admin API comes
     * after these, so {@code /health} answers only once the node is complete, and it stays up while
     * an operator stops and starts these through it.
     */
    private static List<VerticleSpec> poolVerticles(PoolConfig config, CommandLine cli, int eventLoops) {
        List<VerticleSpec> verticles = new ArrayList<>();
        verticles.add(VerticleSpec.single("watchdog",
                () -> new WatchdogVerticle(config, cli.discardStatus())));
        if (config.get(Params.PROXY_ENABLED)) {
            // One proxy per event loop: the instances share the port and each keeps its sessions
            // and backend pool on its own loop.
            Path hba = cli.hbaFile().orElse(null);
            verticles.add(new VerticleSpec("proxy", () -> new ProxyVerticle(config, hba),
                    eventLoops));
        }
        return List.copyOf(verticles);
    }
}
