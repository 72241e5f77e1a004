package org.vxpool.proxy.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.proxy.ProxySettings;

/**
 * pool_timeout with one timer per pool: each waiter fails at its own deadline, with the timeout it
 * started with (a reload in between changes only later waits), a waiter served in time is not
 * failed later, and pool_timeout = 0 waits for ever.
 */
class TransactionPoolTimeoutTest {
    private static final PoolKey KEY = new PoolKey(0, "u", "d");
    /** The pool's only connection is being opened and never finishes: every other acquire waits. */
    private static final Supplier<Future<BackendConnection>> NEVER = () -> Promise.<BackendConnection>promise().future();

    @Test
    void waitersFailAtTheirOwnDeadlinesWithTheTimeoutTheyStartedWith() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Void> twoFailed = new CompletableFuture<>();
            CompletableFuture<Boolean> foreverStillWaits = new CompletableFuture<>();
            vertx.runOnContext(v -> {
                TransactionPool pool = new TransactionPool(vertx, new BackendPool(vertx, null, ProxySettings.defaults("127.0.0.1", 0)), 1, 400);
                pool.acquire(KEY, NEVER);
                Future<BackendConnection> served = pool.acquire(KEY, NEVER);
                Future<BackendConnection> slow = pool.acquire(KEY, NEVER);
                pool.reconfigure(1, 100);
                Future<BackendConnection> quick = pool.acquire(KEY, NEVER);
                pool.reconfigure(1, 0);
                Future<BackendConnection> forever = pool.acquire(KEY, NEVER);
                pool.giveBack(activeConnection());
                served.onComplete(ar -> events.add("served " + ar.succeeded()));
                slow.onFailure(e -> {
                    events.add("slow: " + e.getMessage());
                    // the other deadlines have passed: the waiter without one is still there
                    vertx.setTimer(150, t -> foreverStillWaits.complete(!forever.isComplete()));
                    twoFailed.complete(null);
                });
                quick.onFailure(e -> events.add("quick: " + e.getMessage()));
            });
            twoFailed.get(10, TimeUnit.SECONDS);
            assertThat(foreverStillWaits.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(events).hasSize(3);
            assertThat(events.get(0)).isEqualTo("served true");
            assertThat(events.get(1)).startsWith("quick: ").contains("within pool_timeout (100 ms)");
            assertThat(events.get(2)).startsWith("slow: ").contains("within pool_timeout (400 ms)");
        } finally {
            vertx.close().await();
        }
    }

    private static BackendConnection activeConnection() {
        BackendNode node = new BackendNode(0, "127.0.0.1", 5432, 1, NodeStatus.UP, NodeRole.PRIMARY, 0);
        BackendConnection c = new BackendConnection(1, KEY, node, null, SessionParams.of(Map.of()));
        c.state = BackendConnection.State.ACTIVE;
        return c;
    }
}
