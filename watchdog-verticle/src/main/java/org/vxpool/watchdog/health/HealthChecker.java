package org.vxpool.watchdog.health;

import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.common.config.BackendConfig;

/**
 * Checks one backend: every {@code health_check_period}, and at once when a proxy reports an
 * error on it. A check is a fresh login; it fails after {@code health_check_max_retries} retries
 * spaced by {@code health_check_retry_delay}, each attempt bounded by {@code health_check_timeout}.
 *
 * <p>A check triggered by a backend error does not retry: the proxy's error was the first failed
 * attempt, and waiting for retries is what makes failover slow. Runs on one event loop; the
 * listener is called there.
 */
public final class HealthChecker {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    /** What the owner learns from the checks. */
    public interface Listener {
        /** A node that was not down failed its check; {@code reason} is ready for the failover log. */
        void failed(int nodeId, String reason);

        /** A check succeeded (also on a down node, when down nodes are checked for auto_failback). */
        void healthy(int nodeId);
    }

    private enum Phase { IDLE, CHECKING, RETRY_WAIT, STOPPED }

    private final Vertx vertx;
    private final BackendConfig backend;
    private HealthSettings settings;
    private PgProbe.Target target;
    private final Supplier<NodeStatus> status;
    private final BooleanSupplier checkDownNodes;
    private final Listener listener;
    private final HealthStats stats = new HealthStats();

    private Phase phase = Phase.IDLE;
    private long timerId = -1;
    private long cycleStart;
    private int retries;
    private String urgentCause;
    /** An error was reported while an attempt was in flight: its success may predate the failure. */
    private boolean recheck;

    /**
     * @param status the node's current status in the view; down and unused nodes are skipped
     * @param checkDownNodes check down nodes too (auto_failback needs to see them come back)
     */
    public HealthChecker(Vertx vertx, BackendConfig backend, HealthSettings settings, Supplier<NodeStatus> status,
                         boolean checkDownNodes, Listener listener) {
        this(vertx, backend, settings, status, () -> checkDownNodes, listener);
    }

    /** @param checkDownNodes read at every check: auto_failback can be turned on and off by a reload */
    public HealthChecker(Vertx vertx, BackendConfig backend, HealthSettings settings, Supplier<NodeStatus> status,
                         BooleanSupplier checkDownNodes, Listener listener) {
        this.vertx = vertx;
        this.backend = backend;
        this.settings = settings;
        this.target = PgProbe.Target.of(backend.host(), backend.port(), settings);
        this.status = status;
        this.checkDownNodes = checkDownNodes;
        this.listener = listener;
    }

    public void start() {
        scheduleNext();
    }

    public void stop() {
        phase = Phase.STOPPED;
        cancelTimer();
    }

    /**
     * A reload: the next attempt uses the new settings. A waiting period is restarted with the
     * new length (counted from now), so a shorter period takes effect at once; a check in flight
     * finishes under the old ones.
     */
    public void reconfigure(HealthSettings newer) {
        if (newer.equals(settings)) {
            return;
        }
        settings = newer;
        target = PgProbe.Target.of(backend.host(), backend.port(), newer);
        if (phase == Phase.IDLE) {
            cancelTimer();
            scheduleNext();
        }
    }

    public HealthStats stats() {
        return stats;
    }

    /** Runs a periodic-style check (with retries) now, unless one is already running. */
    public void checkWithRetries() {
        if (phase == Phase.IDLE) {
            cancelTimer();
            startCycle(null);
        }
    }

    /** Checks now, without retries: a proxy saw {@code cause} on this node. */
    public void checkNow(String cause) {
        switch (phase) {
            case IDLE -> {
                cancelTimer();
                startCycle(cause);
            }
            case CHECKING -> {
                urgentCause = cause;
                recheck = true;
            }
            case RETRY_WAIT -> {
                cancelTimer();
                urgentCause = cause;
                attempt();
            }
            case STOPPED -> { }
        }
    }

    /**
     * The view just marked this node down, maybe on another vxpool node's checks: one attempt
     * now, without retries, so this node's pg_status and pg_role say what it sees itself rather
     * than its last check before the failure (later periodic checks skip a down node). A failure
     * is not reported, the node being down already; a success is, as for any check of a down node.
     */
    public void probeOnce() {
        if (phase != Phase.IDLE || stats.lastCheckFailed()) {
            // a cycle is running and its result updates the stats, or this node saw the failure
            return;
        }
        cancelTimer();
        urgentCause = "the node was marked down";
        retries = 0;
        cycleStart = System.currentTimeMillis();
        attempt();
    }

    private void startCycle(String cause) {
        NodeStatus now = status.get();
        boolean detached = now == NodeStatus.UNUSED || (now == NodeStatus.DOWN && !checkDownNodes.getAsBoolean());
        if (detached && cause != null) {
            // Proxies keep reporting errors on a node that is already down; that is no health check.
            scheduleNext();
            return;
        }
        if (detached) {
            stats.skipped(System.currentTimeMillis());
            scheduleNext();
            return;
        }
        urgentCause = cause;
        retries = 0;
        cycleStart = System.currentTimeMillis();
        attempt();
    }

    private void attempt() {
        phase = Phase.CHECKING;
        // The login is the check; the one-row query gives SHOW pool_nodes' pg_role for free.
        PgProbe.query(vertx, target, settings.attemptTimeout(), "SELECT pg_is_in_recovery()").onComplete(ar -> {
            if (phase == Phase.STOPPED) {
                return;
            }
            if (ar.succeeded() && recheck) {
                recheck = false;
                attempt();
            } else if (ar.succeeded()) {
                stats.succeeded(cycleStart, System.currentTimeMillis(), retries, ar.result().get(0).getBoolean(0));
                endCycle();
                listener.healthy(backend.id());
            } else if (urgentCause == null && retries < settings.maxRetries()) {
                retries++;
                LOG.debug("health check of node {} failed ({}), retry {} of {}", backend.id(),
                        ar.cause().getMessage(), retries, settings.maxRetries());
                phase = Phase.RETRY_WAIT;
                timerId = vertx.setTimer(Math.max(1, settings.retryDelay().toMillis()), id -> attempt());
            } else {
                stats.failed(cycleStart, System.currentTimeMillis(), retries);
                String reason = reason(ar.cause().getMessage());
                endCycle();
                if (status.get() != NodeStatus.DOWN) {
                    LOG.warn("health check of node {} {} failed: {}", backend.id(), backend.host() + "(" + backend.port() + ")", reason);
                    listener.failed(backend.id(), reason);
                }
            }
        });
    }

    private String reason(String error) {
        if (urgentCause != null) {
            return "backend error (" + urgentCause + "), confirmed by health check: " + error;
        }
        return "health check failed after " + retries + " retries: " + error;
    }

    private void endCycle() {
        phase = Phase.IDLE;
        urgentCause = null;
        recheck = false;
        scheduleNext();
    }

    private void scheduleNext() {
        if (phase != Phase.STOPPED && settings.periodic()) {
            timerId = vertx.setTimer(settings.period().toMillis(), id -> {
                timerId = -1;
                startCycle(null);
            });
        }
    }

    private void cancelTimer() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }
}
