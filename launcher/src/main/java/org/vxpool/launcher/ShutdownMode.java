package org.vxpool.launcher;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * pgpool's shutdown modes and the signals that ask a running node for each.
 *
 * <p>Two departures from pgpool, both forced by the JVM:
 * <ul>
 *   <li>The JVM keeps SIGQUIT for thread dumps and refuses a handler for it, so an immediate
 *       shutdown is SIGUSR1.
 *   <li>A shell starting a job with {@code &} makes it ignore SIGINT, and the JVM cannot undo an
 *       inherited "ignore". SIGINT (Ctrl-C) still means fast, but {@code stop -m fast} sends
 *       SIGALRM, which no shell ignores.
 * </ul>
 */
public enum ShutdownMode {
    /** Wait for client sessions to finish, then stop. */
    SMART("TERM", List.of("TERM")),
    /** Close client sessions, then stop. */
    FAST("ALRM", List.of("INT", "ALRM")),
    /** Stop at once, without waiting for anything but the pid file and the cluster exit. */
    IMMEDIATE("USR1", List.of("USR1"));

    private final String stopSignal;
    private final List<String> signals;

    ShutdownMode(String stopSignal, List<String> signals) {
        this.stopSignal = stopSignal;
        this.signals = signals;
    }

    /** What {@code vxpool stop} sends: a signal name without {@code SIG}, as {@code kill -s} takes it. */
    public String stopSignal() {
        return stopSignal;
    }

    /** Every signal a node answers with this mode. */
    public List<String> signals() {
        return signals;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Accepts pgpool's names and their one-letter abbreviations ({@code s}, {@code f}, {@code i}). */
    public static ShutdownMode parse(String text) throws UsageException {
        String wanted = text.toLowerCase(Locale.ROOT);
        for (ShutdownMode mode : values()) {
            if (mode.label().equals(wanted) || mode.label().substring(0, 1).equals(wanted)) {
                return mode;
            }
        }
        throw new UsageException("invalid shutdown mode \"" + text + "\"; allowed: "
                + Arrays.stream(values()).map(ShutdownMode::label).collect(Collectors.joining(", ")));
    }
}
