package org.vxpool.watchdog.health;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.NodeRole;

/**
 * Counters of one backend's health checks, as {@code SHOW pool_health_check_stats} prints them.
 * Confined to the checker's event loop.
 */
public final class HealthStats {
    /** pgpool 4.3's column names, in its order. */
    public static final List<String> COLUMNS = List.of("node_id", "hostname", "port", "status", "role",
            "last_status_change", "total_count", "success_count", "fail_count", "skip_count", "retry_count",
            "average_retry_count", "max_retry_count", "max_duration", "min_duration", "average_duration",
            "last_health_check", "last_successful_health_check", "last_skip_health_check",
            "last_failed_health_check");

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private long total;
    private long success;
    private long fail;
    private long skip;
    private long retry;
    private long maxRetry;
    private long maxDuration;
    private long minDuration;
    private long sumDuration;
    private long lastCheck;
    private long lastSuccess;
    private long lastSkip;
    private long lastFailed;
    /** pg_is_in_recovery() of the last successful check; null before one. */
    private Boolean inRecovery;

    void succeeded(long startMillis, long endMillis, int retries, boolean inRecovery) {
        finished(startMillis, endMillis, retries);
        success++;
        lastSuccess = endMillis;
        this.inRecovery = inRecovery;
    }

    void failed(long startMillis, long endMillis, int retries) {
        finished(startMillis, endMillis, retries);
        fail++;
        lastFailed = endMillis;
    }

    void skipped(long nowMillis) {
        total++;
        skip++;
        lastSkip = nowMillis;
        lastCheck = nowMillis;
    }

    private void finished(long startMillis, long endMillis, int retries) {
        long duration = endMillis - startMillis;
        total++;
        retry += retries;
        maxRetry = Math.max(maxRetry, retries);
        minDuration = success + fail == 0 ? duration : Math.min(minDuration, duration);
        maxDuration = Math.max(maxDuration, duration);
        sumDuration += duration;
        lastCheck = endMillis;
    }

    public long total() {
        return total;
    }

    public long successCount() {
        return success;
    }

    public long failCount() {
        return fail;
    }

    public long skipCount() {
        return skip;
    }

    public long retryCount() {
        return retry;
    }

    public long maxDurationMillis() {
        return maxDuration;
    }

    /**
     * SHOW pool_nodes' {@code pg_status}: what the backend itself answered at the last check, not
     * what the view decided (a detached but running backend is {@code up}). Before any check, the
     * decided status.
     */
    /** The last check failed: pg_status already says down. */
    public boolean lastCheckFailed() {
        return lastFailed > lastSuccess;
    }

    public String pgStatus(BackendNode node) {
        if (lastSuccess == 0 && lastFailed == 0) {
            return node.status().pgpoolName();
        }
        return lastFailed > lastSuccess ? "down" : "up";
    }

    /**
     * SHOW pool_nodes' {@code pg_role}: pg_is_in_recovery() of the last check when it succeeded;
     * {@code unknown} when the last check failed (pgpool: "unknown if information retrieval
     * failed"), so a dead former primary is not reported as a running one; before any check, the
     * decided role.
     */
    public String pgRole(BackendNode node) {
        if (lastFailed > lastSuccess) {
            return NodeRole.UNKNOWN.word();
        }
        if (inRecovery == null) {
            return node.role().word();
        }
        return (inRecovery ? NodeRole.STANDBY : NodeRole.PRIMARY).word();
    }

    /** One row of {@code SHOW pool_health_check_stats}, every value as pgpool prints it. */
    public List<String> row(BackendNode node) {
        long checked = success + fail;
        return List.of(
                Integer.toString(node.id()), node.host(), Integer.toString(node.port()),
                node.status().pgpoolName(), node.role().word(), time(node.lastStatusChange()),
                Long.toString(total), Long.toString(success), Long.toString(fail), Long.toString(skip),
                Long.toString(retry), decimal(total == 0 ? 0 : (double) retry / total), Long.toString(maxRetry),
                Long.toString(maxDuration), Long.toString(minDuration),
                decimal(checked == 0 ? 0 : (double) sumDuration / checked),
                time(lastCheck), time(lastSuccess), time(lastSkip), time(lastFailed));
    }

    private static String decimal(double value) {
        return String.format(Locale.ROOT, "%f", value);
    }

    /** pgpool leaves a column empty for "never". */
    private static String time(long epochMillis) {
        return epochMillis <= 0 ? "" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }
}
