package org.vxpool.launcher;

import java.util.Optional;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.config.PoolMode;

/**
 * How many event loops (and proxy instances) a node runs: one per core, not Vert.x's two per core:
 * the loops never block, and on the 2-core benchmark machine 2 loops relayed ~20 % more pgbench
 * transactions than 4 (docs/BENCHMARKS.md). One exception: transaction pooling on a machine of one
 * or two cores runs one loop. Its pools are per loop, so a second loop splits a small pool in two
 * (a client waits while the other loop has an idle connection) and adds a thread wake-up to many
 * hand-offs; on the 2-core benchmark machine one loop was ahead in pgbench's simple and extended
 * selects, TPC-B and a connection per transaction, and 4–11 % behind only in {@code -M prepared}
 * selects (docs/BENCHMARKS.md, sessions 10 and 12). Session pooling keeps one loop per core: there
 * one loop lost TPC-B and connections per transaction. The system property
 * {@code vxpool.event_loops} overrides both. No logger here: the start command checks the property
 * before {@link Logging} has set the log directory, and a logger would set logback up with the
 * working directory instead (FatJarIT).
 */
final class EventLoops {
    static final String PROPERTY = "vxpool.event_loops";
    /** Transaction pooling runs one loop on machines of at most this many cores. */
    static final int SMALL_MACHINE_CORES = 2;

    private EventLoops() {
    }

    /** Why {@code -Dvxpool.event_loops=value} cannot be used; empty when unset or valid. */
    static Optional<String> problem(String value) {
        if (value == null || positive(value)) {
            return Optional.empty();
        }
        return Optional.of("-D" + PROPERTY + "=" + value + ": a positive number of event loops expected");
    }

    /** The loops for a node of {@code config} on this machine. */
    static int of(PoolConfig config) {
        return count(System.getProperty(PROPERTY), config.get(Params.POOL_MODE), Runtime.getRuntime().availableProcessors());
    }

    /** The loops for a node whose configuration is not at hand (tests): as in session pooling. */
    static int perCore() {
        return count(System.getProperty(PROPERTY), PoolMode.SESSION, Runtime.getRuntime().availableProcessors());
    }

    static int count(String property, PoolMode mode, int cores) {
        if (property != null && positive(property)) {
            return Integer.parseInt(property.strip());
        }
        return mode == PoolMode.TRANSACTION && cores <= SMALL_MACHINE_CORES ? 1 : Math.max(1, cores);
    }

    private static boolean positive(String value) {
        try {
            return Integer.parseInt(value.strip()) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
