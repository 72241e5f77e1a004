package org.vxpool.watchdog.failover;

import java.time.Duration;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;

/**
 * Failover settings shared by every backend.
 *
 * @param failoverCommand {@code failover_command}; empty: none
 * @param followPrimaryCommand {@code follow_primary_command} (3.x {@code follow_master_command})
 * @param failbackCommand {@code failback_command}
 * @param builtinPromote vxpool's {@code builtin_promote}: without a failover_command, promote the
 *     new main node with {@code pg_promote()} when the primary fails
 * @param searchPrimaryNodeTimeout {@code search_primary_node_timeout}; zero means pgpool's
 *     "forever", which we cap at {@link #FOREVER_CAP}
 * @param commandTimeout bound on one failover/follow/failback command run
 */
public record FailoverSettings(
        String failoverCommand,
        String followPrimaryCommand,
        String failbackCommand,
        boolean builtinPromote,
        Duration searchPrimaryNodeTimeout,
        boolean failoverOnBackendError,
        boolean failoverOnBackendShutdown,
        boolean detachFalsePrimary,
        boolean autoFailback,
        Duration autoFailbackInterval,
        Duration commandTimeout) {

    /** A primary search that "never ends" still has to end some time for a stuck cluster. */
    public static final Duration FOREVER_CAP = Duration.ofHours(1);

    public FailoverSettings {
        failoverCommand = blankToEmpty(failoverCommand);
        followPrimaryCommand = blankToEmpty(followPrimaryCommand);
        failbackCommand = blankToEmpty(failbackCommand);
    }

    public Duration effectiveSearchTimeout() {
        return searchPrimaryNodeTimeout.isZero() ? FOREVER_CAP : searchPrimaryNodeTimeout;
    }

    /** What pgpool leaves unbounded still needs a bound: a hung script must not stall failover forever. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);

    public static FailoverSettings from(PoolConfig c) {
        return new FailoverSettings(
                c.get(Params.FAILOVER_COMMAND),
                c.get(Params.FOLLOW_PRIMARY_COMMAND),
                c.get(Params.FAILBACK_COMMAND),
                c.get(Params.BUILTIN_PROMOTE),
                c.duration(Params.SEARCH_PRIMARY_NODE_TIMEOUT),
                c.get(Params.FAILOVER_ON_BACKEND_ERROR),
                c.get(Params.FAILOVER_ON_BACKEND_SHUTDOWN),
                c.get(Params.DETACH_FALSE_PRIMARY),
                c.get(Params.AUTO_FAILBACK),
                c.duration(Params.AUTO_FAILBACK_INTERVAL),
                COMMAND_TIMEOUT);
    }

    private static String blankToEmpty(String s) {
        return s == null || s.isBlank() ? "" : s;
    }
}
