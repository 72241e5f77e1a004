package org.vxpool.launcher;

import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * pgpool's shutdown signals. A handler replaces the JVM's default for that signal, so these
 * signals no longer run shutdown hooks directly: the handler decides how to stop.
 */
final class Signals {

    private Signals() {
    }

    static void install(Consumer<ShutdownMode> onSignal) {
        for (ShutdownMode mode : ShutdownMode.values()) {
            Signal.handle(new Signal(mode.signal()), signal -> onSignal.accept(mode));
        }
    }
}
