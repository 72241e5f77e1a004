package org.vxpool.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * pgpool's shutdown signals. A handler replaces the JVM's default for that signal, so these
 * signals no longer run shutdown hooks directly: the handler decides how to stop.
 */
final class Signals {

    private Signals() {
    }

    /**
     * Installs a handler for every signal of every mode.
     *
     * @param onSignal receives the mode and the signal name
     * @return the signals this process ignores since it was started, which the JVM then refuses
     *     to handle (SIGINT of a shell's background job)
     */
    static List<String> install(BiConsumer<ShutdownMode, String> onSignal) {
        List<String> ignored = new ArrayList<>();
        for (ShutdownMode mode : ShutdownMode.values()) {
            for (String name : mode.signals()) {
                SignalHandler previous = Signal.handle(new Signal(name), signal -> onSignal.accept(mode, name));
                if (previous == SignalHandler.SIG_IGN) {
                    ignored.add(name);
                }
            }
        }
        return ignored;
    }
}
