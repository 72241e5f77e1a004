package org.vxpool.watchdog.failover;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.ClientCounts;

/**
 * pcp_detach_node and pcp_promote_node {@code --gracefully}: the request is checked first, then it
 * waits until no client is connected to any vxpool node's proxies, up to {@code recovery_timeout}
 * (pgpool's bound for the same wait), and only then is carried out. Meanwhile, as in pgpool, the
 * proxies hold new clients back and disconnect clients idle for
 * {@code client_idle_limit_in_recovery}; every outcome (done, timed out, refused) lets them in
 * again ({@link ClientCounts}). The wait runs outside the coordinator's queue, so failovers and
 * other commands are not held up by it; the request itself re-checks the node.
 */
public final class GracefulRequests {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulRequests.class);
    private static final long POLL_MILLIS = 250;

    private final Vertx vertx;
    private final FailoverCoordinator coordinator;
    private final Function<Vertx, Future<Integer>> clients;
    private final Function<Vertx, Future<Integer>> release;

    public GracefulRequests(Vertx vertx, FailoverCoordinator coordinator) {
        this(vertx, coordinator, ClientCounts::draining, ClientCounts::released);
    }

    /**
     * @param clients counts the clients connected anywhere, telling the proxies a request waits
     * @param release tells the proxies the wait is over
     */
    GracefulRequests(Vertx vertx, FailoverCoordinator coordinator, Function<Vertx, Future<Integer>> clients,
                     Function<Vertx, Future<Integer>> release) {
        this.vertx = vertx;
        this.coordinator = coordinator;
        this.clients = clients;
        this.release = release;
    }

    /** @param timeout recovery_timeout; zero waits without a bound */
    public Future<JsonObject> detach(int id, String reason, Duration timeout) {
        return coordinator.checkDetach(id).compose(v -> whenNoClients("detach", id, timeout,
                () -> coordinator.detach(id, reason + " (gracefully: every client had disconnected)")));
    }

    /** @param timeout recovery_timeout; zero waits without a bound */
    public Future<JsonObject> promote(int id, boolean switchover, Duration timeout) {
        return coordinator.checkPromote(id, switchover).compose(v -> whenNoClients("promote", id, timeout,
                () -> coordinator.promote(id, switchover)));
    }

    private Future<JsonObject> whenNoClients(String verb, int id, Duration timeout, Supplier<Future<JsonObject>> request) {
        LOG.info("{} of node {} gracefully: waiting for every client to disconnect{}", verb, id,
                timeout.isZero() ? "" : " (up to recovery_timeout, " + timeout.toSeconds() + " s)");
        long deadline = timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        Promise<Void> gone = Promise.promise();
        poll(deadline, timeout, verb.equals("detach") ? "detached" : "promoted", id, gone);
        return gone.future()
                .compose(none -> request.get())
                // held clients start on the view the request made; a proxy that misses this lets
                // them in when its lease of the last question runs out
                .andThen(done -> release.apply(vertx).onFailure(e ->
                        LOG.warn("{} of node {}: not every proxy heard that the wait is over ({}); theirs ends within {} ms",
                                verb, id, e.getMessage(), ClientCounts.DRAIN_LEASE_MILLIS)));
    }

    private void poll(long deadline, Duration timeout, String done, int id, Promise<Void> gone) {
        clients.apply(vertx).onComplete(count -> {
            if (count.succeeded() && count.result() == 0) {
                gone.complete();
            } else if (System.nanoTime() - deadline >= 0) {
                String left = count.succeeded() ? count.result() + " client(s) still connected"
                        : "the client count is unknown (" + count.cause().getMessage() + ")";
                gone.fail(new FailoverException("node " + id + " not " + done + ": " + left + " after recovery_timeout ("
                        + timeout.toSeconds() + " s)"));
            } else {
                vertx.setTimer(POLL_MILLIS, t -> poll(deadline, timeout, done, id, gone));
            }
        });
    }
}
