package org.vxpool.watchdog.failover;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.ClientCounts;

/**
 * pcp_detach_node {@code --gracefully}: the detach is checked first, then it waits until no client
 * is connected to any vxpool node's proxies, up to {@code recovery_timeout} (pgpool's bound for
 * the same wait), and only then detaches. Unlike pgpool, new clients are not held back meanwhile
 * (docs/ADMIN.md). The wait runs outside the coordinator's queue, so failovers and other commands
 * are not held up by it; the detach itself re-checks the node.
 */
public final class GracefulDetach {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulDetach.class);
    private static final long POLL_MILLIS = 250;

    private final Vertx vertx;
    private final FailoverCoordinator coordinator;
    private final Function<Vertx, Future<Integer>> clients;

    public GracefulDetach(Vertx vertx, FailoverCoordinator coordinator) {
        this(vertx, coordinator, ClientCounts::total);
    }

    GracefulDetach(Vertx vertx, FailoverCoordinator coordinator, Function<Vertx, Future<Integer>> clients) {
        this.vertx = vertx;
        this.coordinator = coordinator;
        this.clients = clients;
    }

    /** @param timeout recovery_timeout; zero waits without a bound */
    public Future<JsonObject> detach(int id, String reason, Duration timeout) {
        return coordinator.checkDetach(id).compose(v -> {
            LOG.info("detach of node {} gracefully: waiting for every client to disconnect{}", id,
                    timeout.isZero() ? "" : " (up to recovery_timeout, " + timeout.toSeconds() + " s)");
            long deadline = timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
            Promise<Void> gone = Promise.promise();
            poll(deadline, timeout, id, gone);
            return gone.future();
        }).compose(v -> coordinator.detach(id, reason + " (gracefully: every client had disconnected)"));
    }

    private void poll(long deadline, Duration timeout, int id, Promise<Void> gone) {
        clients.apply(vertx).onComplete(count -> {
            if (count.succeeded() && count.result() == 0) {
                gone.complete();
            } else if (System.nanoTime() - deadline >= 0) {
                String left = count.succeeded() ? count.result() + " client(s) still connected"
                        : "the client count is unknown (" + count.cause().getMessage() + ")";
                gone.fail(new FailoverException("node " + id + " not detached: " + left + " after recovery_timeout ("
                        + timeout.toSeconds() + " s)"));
            } else {
                vertx.setTimer(POLL_MILLIS, t -> poll(deadline, timeout, id, gone));
            }
        });
    }
}
