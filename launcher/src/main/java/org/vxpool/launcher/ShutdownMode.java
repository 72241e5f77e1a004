package org.vxpool.launcher;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * pgpool's shutdown modes and the signal that asks a running node for each.
 *
 * <p>pgpool uses SIGQUIT for an immediate shutdown, but the JVM reserves SIGQUIT for thread dumps
 * and refuses a handler for it, so vxpool takes SIGUSR1 for that mode.
 */
public enum ShutdownMode {
    /** Wait for client sessions to finish, then stop (SIGTERM). */
    SMART("TERM"),
    /** Close client sessions, then stop (SIGINT). */
    FAST("INT"),
    /** Stop at once, without waiting for anything but the pid file and the cluster exit (SIGUSR1). */
    IMMEDIATE("USR1");

    private final String signal;

    ShutdownMode(String signal) {
        this.signal = signal;
    }

    /** The signal name without the {@code SIG} prefix, as {@code sun.misc.Signal} and {@code kill -s} take it. */
    public String signal() {
        return signal;
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
