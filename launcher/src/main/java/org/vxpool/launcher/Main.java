package org.vxpool.launcher;

/**
 * {@code vxpool}: starts one node in the foreground, stops a running one, or releases the delegate IP
 * a dead one left on this host.
 *
 * <p>Exit status: 0 on success, 1 when the node could not start or stop, 2 for a bad command
 * line or configuration (nothing was started).
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_INPUT = 2;

    private Main() {
    }

    public static void main(String[] args) {
        int status = FAILED;
        try {
            Logging.bootstrap();
            status = run(args);
        } catch (RuntimeException | Error e) {
            // Hazelcast's threads are not daemons: without the exit below, a node whose main
            // thread died would keep running half-stopped.
            e.printStackTrace();
        } finally {
            System.exit(status);
        }
    }

    static int run(String... args) {
        CommandLine cli;
        try {
            cli = CommandLine.parse(args);
        } catch (UsageException e) {
            System.err.println("vxpool: " + e.getMessage());
            System.err.print(CommandLine.USAGE);
            return BAD_INPUT;
        }
        return switch (cli.verb()) {
            case HELP -> {
                System.out.print(CommandLine.USAGE);
                yield OK;
            }
            case START -> new StartCommand(cli).run();
            case STOP -> StartCommand.loadConfig(cli)
                    .map(config -> new StopCommand(LaunchPlan.pidFile(config), cli.mode(), StopCommand.DEFAULT_TIMEOUT)
                            .run(System.out, System.err))
                    .orElse(BAD_INPUT);
            case RELEASE_IP -> StartCommand.loadConfig(cli).map(config -> ReleaseIpCommand.run(config, System.out))
                    .orElse(BAD_INPUT);
        };
    }
}
