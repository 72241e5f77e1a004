package org.vxpool.launcher;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.config.ConfigException;
import org.vxpool.common.config.ConfigLoader;
import org.vxpool.common.config.ConfigProblem;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.config.PoolKey;
import org.vxpool.proxy.auth.AuthFiles;

/** Starts a node in the foreground and keeps it running until a shutdown signal arrives. */
final class StartCommand {

    private final CommandLine cli;
    private final CompletableFuture<ShutdownMode> shutdown = new CompletableFuture<>();

    StartCommand(CommandLine cli) {
        this.cli = cli;
    }

    int run() {
        Optional<PoolConfig> config = loadConfig(cli);
        if (config.isEmpty()) {
            return Main.BAD_INPUT;
        }
        Optional<String> badProperty = EventLoops.problem(System.getProperty(EventLoops.PROPERTY))
                .or(() -> AcceptOnEventLoops.problem(System.getProperty(AcceptOnEventLoops.PROPERTY)));
        if (badProperty.isPresent()) {
            System.err.println("vxpool: " + badProperty.get());
            return Main.BAD_INPUT;
        }
        if (cli.hbaFile().isPresent() && !Files.isReadable(cli.hbaFile().get())) {
            System.err.println("vxpool: -a " + cli.hbaFile().get() + ": no such readable file");
            return Main.BAD_INPUT;
        }
        // Every PoolKey of this process (pool_passwd loads, health/sr_check/recovery passwords)
        // looks here first, as pgpool's -k does.
        cli.keyFile().ifPresent(k -> System.setProperty(PoolKey.PROPERTY, k.toAbsolutePath().toString()));
        // Like the configuration itself: a bad line stops the start before anything runs.
        List<String> authProblems = AuthFiles.problems(config.get(), cli.hbaFile().orElse(null));
        if (!authProblems.isEmpty()) {
            authProblems.forEach(System.err::println);
            System.err.println("vxpool: " + authProblems.size() + " problem" + (authProblems.size() == 1 ? "" : "s")
                    + " in pool_passwd / pool_hba.conf");
            return Main.BAD_INPUT;
        }
        try {
            // Before anything else touches Vert.x: its classes initialise logging when loaded.
            Logging.configure(LaunchPlan.logdir(config.get()));
            Logging.applyMinMessages(config.get());
        } catch (LaunchException e) {
            System.err.println("vxpool: " + e.getMessage());
            return Main.FAILED;
        }
        LaunchPlan plan = LaunchPlan.from(config.get(), cli);
        Logger log = LoggerFactory.getLogger(StartCommand.class);
        config.get().warnings().forEach(log::warn);
        try {
            return runNode(plan, log);
        } catch (LaunchException e) {
            log.error(e.getMessage());
            return Main.FAILED;
        }
    }

    private int runNode(LaunchPlan plan, Logger log) throws LaunchException {
        PidFile pidFile = plan.pidFile();
        pidFile.claim();
        // Covers exits that bypass the orderly path, such as SIGHUP's default handler.
        Runtime.getRuntime().addShutdownHook(new Thread(pidFile::release, "vxpool-pid-file"));
        try {
            List<String> ignored = Signals.install((mode, signal) -> onSignal(mode, signal, pidFile, log));
            ignored.forEach(signal -> log.info("SIG{} is ignored by this process (as in a background job);"
                    + " stop it with vxpool stop", signal));
            Node node = Node.start(plan.cluster(), plan.eventLoops(), plan.pool(), plan.verticles());
            log.info("vxpool started (pid {})", ProcessHandle.current().pid());
            ShutdownMode mode = shutdown.join();
            node.stop(mode);
            log.info("vxpool stopped");
            return Main.OK;
        } finally {
            pidFile.release();
        }
    }

    /** The first signal picks the mode; a later immediate one cuts a slow shutdown short. */
    private void onSignal(ShutdownMode mode, String signal, PidFile pidFile, Logger log) {
        if (shutdown.complete(mode)) {
            log.info("received SIG{}: {} shutdown", signal, mode.label());
        } else if (mode == ShutdownMode.IMMEDIATE) {
            log.warn("received SIG{} during shutdown: exiting at once", signal);
            pidFile.release();
            Runtime.getRuntime().halt(Main.FAILED);
        }
    }

    /**
     * Loads the configuration. Every problem goes to stderr as
     * {@code FILE:LINE: KEY: problem}; empty means the caller must stop with status 2.
     */
    static Optional<PoolConfig> loadConfig(CommandLine cli) {
        try {
            return Optional.of(ConfigLoader.load(cli.configFile()));
        } catch (ConfigException e) {
            e.problems().stream().map(ConfigProblem::toString).forEach(System.err::println);
            System.err.println("vxpool: " + e.problems().size() + " problem" + (e.problems().size() == 1 ? "" : "s")
                    + " in " + cli.configFile());
            return Optional.empty();
        }
    }
}
