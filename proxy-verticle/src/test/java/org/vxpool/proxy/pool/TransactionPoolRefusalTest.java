package org.vxpool.proxy.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.proxy.ProxySettings;

/**
 * A client whose login PostgreSQL refused with 53300 while its pool has a connection open waits
 * for that connection: no other login is tried while one is open (a reload that grows the pool
 * included, which must not spin), the connection given back serves it, and a login is tried again
 * once none is open.
 */
class TransactionPoolRefusalTest {
    private static final PoolKey KEY = new PoolKey(0, "u", "d");

    @Test
    void aRefusedClientWaitsForTheOpenConnectionAndLogsInAgainOnlyWhenNoneIsOpen() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            CompletableFuture<String> outcome = new CompletableFuture<>();
            vertx.runOnContext(v -> {
                BackendPool backends = new BackendPool(vertx, null, ProxySettings.defaults("127.0.0.1", 0));
                TransactionPool pool = new TransactionPool(vertx, backends, 2, 0);
                AtomicInteger logins = new AtomicInteger();
                Supplier<Future<BackendConnection>> opener = () -> {
                    logins.incrementAndGet();
                    return Promise.<BackendConnection>promise().future();
                };
                BackendConnection open = openConnection(backends, 1);
                Future<BackendConnection> first = pool.awaitGiveBack(KEY, opener, "too many connections for role \"u\"");
                pool.reconfigure(3, 0);
                String whileOpen = "logins while one is open: " + logins.get() + ", served: " + first.isComplete();
                pool.giveBack(open);
                String givenBack = "served by it: " + (first.succeeded() && first.result() == open);
                pool.awaitGiveBack(KEY, opener, "too many connections for role \"u\"");
                backends.move(open, BackendConnection.State.CLOSED);
                outcome.complete(whileOpen + "; " + givenBack + "; logins once none is open: " + logins.get());
            });
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(
                    "logins while one is open: 0, served: false; served by it: true; logins once none is open: 1");
        } finally {
            vertx.close().await();
        }
    }

    /** A connection the pool counts as open (ACTIVE), without a socket. */
    private static BackendConnection openConnection(BackendPool backends, long id) {
        BackendNode node = new BackendNode(0, "127.0.0.1", 5432, 1, NodeStatus.UP, NodeRole.PRIMARY, 0);
        BackendConnection c = new BackendConnection(id, KEY, node, null, SessionParams.of(Map.of()));
        c.state = BackendConnection.State.CLOSED;
        backends.move(c, BackendConnection.State.ACTIVE);
        return c;
    }
}
