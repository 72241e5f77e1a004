package org.vxpool.launcher;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The parsed command line, in pgpool's syntax: {@code vxpool [options] [stop]}, plus vxpool's own
 * {@code release-ip}.
 *
 * @param verb what to do
 * @param configFile {@code -f}; pgpool's default location when absent
 * @param hbaFile {@code -a}: a pool_hba.conf that replaces the one next to the config file
 * @param discardStatus {@code -D}: ignore the saved backend status file
 * @param mode {@code -m}: how {@code stop} asks the node to shut down
 * @param keyFile {@code -k}: pgpool's key file for AES passwords, instead of {@code PGPOOLKEYFILE}
 *     or {@code ~/.pgpoolkey}
 */
public record CommandLine(Verb verb, Path configFile, Optional<Path> hbaFile, boolean discardStatus,
        ShutdownMode mode, Optional<Path> keyFile) {

    public static final Path DEFAULT_CONFIG = Path.of("/etc/vxpool/pgpool.conf");

    public static final String USAGE = """
            usage: vxpool [-f CONFIG_FILE] [-a HBA_FILE] [-k KEY_FILE] [-n] [-D]
                   vxpool [-f CONFIG_FILE] [-m smart|fast|immediate] stop
                   vxpool [-f CONFIG_FILE] release-ip
                   vxpool --help

              -f, --config-file=FILE   configuration file (default /etc/vxpool/pgpool.conf)
              -a, --hba-file=FILE      pool_hba.conf to use instead of the configured one
              -k, --key-file=FILE      key for AES passwords (pg_enc); default $PGPOOLKEYFILE,
                                       else ~/.pgpoolkey
              -n, --no-daemon          accepted for pgpool compatibility; vxpool always runs
                                       in the foreground (use systemd or & to detach)
              -D, --discard-status     discard the saved backend status (pgpool_status)
              -m, --mode=MODE          shutdown mode for stop: smart (SIGTERM, default),
                                       fast (SIGINT or SIGALRM) or immediate (SIGUSR1)
              -h, --help               print this help

            release-ip removes the delegate IP from this host if it is still configured here
            (with if_down_cmd); systemd runs it after the node exited, even after a SIGKILL.
            """;

    /** The actions of the command line. */
    public enum Verb { START, STOP, RELEASE_IP, HELP }

    public static CommandLine parse(String... args) throws UsageException {
        Builder builder = new Builder();
        Deque<String> rest = new ArrayDeque<>(List.of(args));
        while (!rest.isEmpty()) {
            String arg = rest.removeFirst();
            if (arg.startsWith("--")) {
                builder.longOption(arg, rest);
            } else if (arg.startsWith("-") && arg.length() > 1) {
                builder.shortOptions(arg, rest);
            } else {
                builder.verb(arg);
            }
        }
        return builder.build();
    }

    /** Collects options in any order, as getopt does, and checks them against the verb at the end. */
    private static final class Builder {
        private Verb verb = Verb.START;
        private boolean verbGiven;
        private Path configFile = DEFAULT_CONFIG;
        private Path hbaFile;
        private Path keyFile;
        private boolean discardStatus;
        private ShutdownMode mode;

        void longOption(String arg, Deque<String> rest) throws UsageException {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            switch (name) {
                case "config-file" -> configFile = Path.of(longValue(arg, eq, rest));
                case "hba-file" -> hbaFile = Path.of(longValue(arg, eq, rest));
                case "key-file" -> keyFile = Path.of(longValue(arg, eq, rest));
                case "mode" -> mode = ShutdownMode.parse(longValue(arg, eq, rest));
                case "no-daemon" -> noValue(arg, eq);
                case "discard-status" -> {
                    noValue(arg, eq);
                    discardStatus = true;
                }
                case "help" -> {
                    noValue(arg, eq);
                    verb = Verb.HELP;
                }
                default -> throw new UsageException("unknown option " + arg);
            }
        }

        /** Short options may be grouped ({@code -nD}) and take a value attached or as the next word. */
        void shortOptions(String arg, Deque<String> rest) throws UsageException {
            for (int i = 1; i < arg.length(); i++) {
                char option = arg.charAt(i);
                switch (option) {
                    case 'n' -> { }
                    case 'D' -> discardStatus = true;
                    case 'h' -> verb = Verb.HELP;
                    case 'f', 'a', 'k', 'm' -> {
                        String value = i + 1 < arg.length() ? arg.substring(i + 1) : next(rest, "-" + option);
                        shortValue(option, value);
                        return;
                    }
                    default -> throw new UsageException("unknown option -" + option);
                }
            }
        }

        private void shortValue(char option, String value) throws UsageException {
            switch (option) {
                case 'f' -> configFile = Path.of(value);
                case 'a' -> hbaFile = Path.of(value);
                case 'k' -> keyFile = Path.of(value);
                default -> mode = ShutdownMode.parse(value);
            }
        }

        void verb(String word) throws UsageException {
            if (verbGiven) {
                throw new UsageException("unexpected argument \"" + word + "\"");
            }
            verbGiven = true;
            switch (word) {
                case "stop" -> verb = verb == Verb.HELP ? Verb.HELP : Verb.STOP;
                case "release-ip" -> verb = verb == Verb.HELP ? Verb.HELP : Verb.RELEASE_IP;
                case "reload" -> throw new UsageException("\"reload\" is not supported yet; restart the node");
                default -> throw new UsageException("unknown command \"" + word + "\"; the commands are stop and release-ip");
            }
        }

        CommandLine build() throws UsageException {
            if (mode != null && (verb == Verb.START || verb == Verb.RELEASE_IP)) {
                throw new UsageException("-m is only meaningful with stop");
            }
            return new CommandLine(verb, configFile, Optional.ofNullable(hbaFile), discardStatus,
                    mode == null ? ShutdownMode.SMART : mode, Optional.ofNullable(keyFile));
        }

        private static String longValue(String arg, int eq, Deque<String> rest) throws UsageException {
            return eq >= 0 ? arg.substring(eq + 1) : next(rest, arg);
        }

        private static void noValue(String arg, int eq) throws UsageException {
            if (eq >= 0) {
                throw new UsageException("option " + arg.substring(0, eq) + " takes no value");
            }
        }

        private static String next(Deque<String> rest, String option) throws UsageException {
            if (rest.isEmpty()) {
                throw new UsageException("option " + option + " needs a value");
            }
            return rest.removeFirst();
        }
    }
}
