package org.vxpool.watchdog.failover;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.watchdog.health.PgProbe;

/**
 * A switchover's promotion waits until its target has received every WAL record the old primary
 * wrote: with asynchronous replication, a commit acknowledged just before the detach may not have
 * reached the standby yet, and {@code pg_promote()} ends recovery at what was received, so the
 * commit would be lost (pgpool promotes at once). The old primary is polled again each round, so
 * what another vxpool node's proxy wrote before it saw the detach counts too. A target that does
 * not catch up within the bound fails the wait; an old primary that stops answering ends it (nothing
 * more can come from it).
 */
final class SwitchoverCatchUp {
    private static final Logger LOG = LoggerFactory.getLogger(SwitchoverCatchUp.class);
    private static final long ROUND_MS = 100;

    private final Vertx vertx;
    private final PrimarySearch search;
    private final int oldPrimary;
    private final int target;
    private final long deadline;
    private final Promise<Void> done = Promise.promise();
    private String lastWritten = "";
    private String lastReceived = "";

    private SwitchoverCatchUp(Vertx vertx, PrimarySearch search, int oldPrimary, int target, long deadline) {
        this.vertx = vertx;
        this.search = search;
        this.oldPrimary = oldPrimary;
        this.target = target;
        this.deadline = deadline;
    }

    static Future<Void> await(Vertx vertx, PrimarySearch search, int oldPrimary, int target, Duration max) {
        SwitchoverCatchUp wait = new SwitchoverCatchUp(vertx, search, oldPrimary, target,
                System.currentTimeMillis() + max.toMillis());
        wait.round();
        return wait.done.future();
    }

    private void round() {
        query(oldPrimary, "SELECT pg_current_wal_lsn()::text").onComplete(written -> {
            if (written.failed()) {
                LOG.warn("switchover: old primary node {} no longer answers ({}); promoting node {} with what it received",
                        oldPrimary, written.cause().getMessage(), target);
                done.complete();
                return;
            }
            lastWritten = written.result();
            // greatest() skips a NULL: a standby fed from the archive has replayed, not received
            query(target, "SELECT coalesce(h::text, '') || ' ' || coalesce(h >= '" + lastWritten + "'::pg_lsn, false)::text"
                    + " FROM greatest(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) AS h")
                    .onComplete(this::received);
        });
    }

    private void received(AsyncResult<String> answer) {
        if (answer.succeeded()) {
            String[] parts = answer.result().split(" ");
            lastReceived = parts[0];
            if (parts.length > 1 && parts[1].equals("true")) {
                LOG.info("switchover: node {} has received the WAL of node {} up to {}", target, oldPrimary, lastWritten);
                done.complete();
                return;
            }
        }
        if (System.currentTimeMillis() >= deadline) {
            done.fail(new FailoverException("node " + target + " did not receive the WAL of primary node " + oldPrimary
                    + " up to " + lastWritten + " in time (received up to "
                    + (lastReceived.isEmpty() ? "nothing" : lastReceived)
                    + (answer.failed() ? "; " + answer.cause().getMessage() : "") + ")"));
            return;
        }
        vertx.setTimer(ROUND_MS, id -> round());
    }

    private Future<String> query(int node, String sql) {
        return PgProbe.query(vertx, search.target(node), search.timeout(node), sql)
                .map(rows -> rows.get(0).getString(0));
    }
}
