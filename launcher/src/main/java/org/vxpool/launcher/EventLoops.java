package org.vxpool.launcher;

import java.util.Optional;

/**
 * One event loop per core, not Vert.x's two: the loops never block, and on the 2-core benchmark
 * machine 2 loops relayed ~20 % more pgbench transactions than 4 (docs/BENCHMARKS.md). The system
 * property {@code vxpool.event_loops} overrides it. No logger here: the start command checks the
 * property before {@link Logging} has set the log directory, and a logger would set logback up
 * with the working directory instead (FatJarIT).
 */
final class EventLoops {
    static final String PROPERTY = "vxpool.event_loops";
    static final int COUNT = count(System.getProperty(PROPERTY));

    private EventLoops() {
    }

    /** Why {@code -Dvxpool.event_loops=value} cannot be used; empty when unset or valid. */
    static Optional<String> problem(String value) {
        if (value == null || positive(value)) {
            return Optional.empty();
        }
        return Optional.of("-D" + PROPERTY + "=" + value + ": a positive number of event loops expected");
    }

    private static int count(String value) {
        return value != null && positive(value) ? Integer.parseInt(value.strip())
                : Runtime.getRuntime().availableProcessors();
    }

    private static boolean positive(String value) {
        try {
            return Integer.parseInt(value.strip()) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
