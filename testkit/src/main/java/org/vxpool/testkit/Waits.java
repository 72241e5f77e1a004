package org.vxpool.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling: every wait in the fixture ends, with a message saying what did not happen. */
public final class Waits {

    private Waits() {
    }

    /**
     * Polls {@code condition} every 50 ms until it holds. Exceptions from the condition count as
     * "not yet" (a server that is starting refuses connections); the last one is reported.
     */
    public static void until(Duration timeout, String what, BooleanSupplier condition, Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                String cause = last == null ? "" : "\nlast error: " + last.getMessage();
                throw new PgFixtureException("timed out after " + timeout.toSeconds() + " s waiting until " + what
                        + cause + "\n" + diagnostics.get(), last);
            }
            Processes.sleep(50);
        }
    }

    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        until(timeout, what, condition, () -> "");
    }
}
