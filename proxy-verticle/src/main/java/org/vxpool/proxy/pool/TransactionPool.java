package org.vxpool.proxy.pool;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.vxpool.proxy.pool.BackendConnection.State;

/**
 * Transaction pooling on one event loop: at most {@code default_pool_size} connections per
 * {@link PoolKey}, lent to a client for one transaction and given back when it ends. Idle ones
 * live in the {@link BackendPool}'s idle stack (so connection_life_time, node-down and shutdown
 * apply to them unchanged); clients that find none free and the pool full wait in FIFO order, at
 * most {@code pool_timeout}. Also remembers the ParameterStatus values of each login shape, so
 * later clients can start without a backend.
 */
public final class TransactionPool {
    private final Vertx vertx;
    private final BackendPool pool;
    private int size;
    private long timeoutMillis;
    private final Map<PoolKey, ArrayDeque<Waiter>> waiters = new HashMap<>();
    /** Connections being opened (TCP connect + login) per key, not yet counted by the pool. */
    private final Map<PoolKey, Integer> opening = new HashMap<>();
    private final Map<String, Map<String, String>> welcomes = new HashMap<>();

    private static final class Waiter {
        final Promise<BackendConnection> promise = Promise.promise();
        final Supplier<Future<BackendConnection>> opener;
        long timer = -1;

        Waiter(Supplier<Future<BackendConnection>> opener) {
            this.opener = opener;
        }
    }

    public TransactionPool(Vertx vertx, BackendPool pool, int size, long timeoutMillis) {
        this.vertx = vertx;
        this.pool = pool;
        this.size = size;
        this.timeoutMillis = timeoutMillis;
        pool.onClosed(this::capacityFreed);
    }

    public int size() {
        return size;
    }

    /**
     * A reload: new {@code default_pool_size} and {@code pool_timeout}. A larger pool serves its
     * waiters at once; a smaller one shrinks as transactions give their connections back (idle
     * ones stay until next used or closed by connection_life_time). Waiters keep the timeout
     * they started with.
     */
    public void reconfigure(int newSize, long newTimeoutMillis) {
        size = newSize;
        timeoutMillis = newTimeoutMillis;
        for (PoolKey key : java.util.List.copyOf(waiters.keySet())) {
            ArrayDeque<Waiter> q = waiters.get(key);
            while (q != null && !q.isEmpty() && hasRoom(key)) {
                capacityFreed(key);
            }
        }
    }

    /**
     * A connection of {@code key} for one transaction: an idle one, a new one from {@code opener}
     * while the pool has room, else the next one given back. Fails with {@link PoolTimeoutException}
     * after pool_timeout.
     */
    public Future<BackendConnection> acquire(PoolKey key, Supplier<Future<BackendConnection>> opener) {
        ArrayDeque<Waiter> queue = waiters.get(key);
        if (queue == null || queue.isEmpty()) {
            BackendConnection idle = pool.pollIdle(key);
            if (idle != null) {
                return Future.succeededFuture(idle);
            }
            if (hasRoom(key)) {
                return open(key, opener);
            }
        }
        Waiter w = new Waiter(opener);
        waiters.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(w);
        if (timeoutMillis > 0) {
            w.timer = vertx.setTimer(timeoutMillis, t -> {
                ArrayDeque<Waiter> q = waiters.get(key);
                if (q != null && q.remove(w)) {
                    w.promise.tryFail(new PoolTimeoutException(key, size, timeoutMillis));
                }
            });
        }
        return w.promise.future();
    }

    /** The transaction on {@code c} ended (quiet, idle): the next waiter gets it, else it goes idle. */
    public void giveBack(BackendConnection c) {
        if (c.state() != State.ACTIVE) {
            return;
        }
        Waiter w = nextWaiter(c.key());
        if (w != null) {
            w.promise.complete(c);
        } else if (pool.openCount(c.key()) > size) {
            pool.close(c, "more than default_pool_size (" + size + ") connections open");
        } else {
            pool.park(c);
        }
    }

    private boolean hasRoom(PoolKey key) {
        return pool.openCount(key) + opening.getOrDefault(key, 0) < size;
    }

    private Future<BackendConnection> open(PoolKey key, Supplier<Future<BackendConnection>> opener) {
        opening.merge(key, 1, Integer::sum);
        Future<BackendConnection> f;
        try {
            f = opener.get();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        return f.andThen(ar -> {
            opening.merge(key, -1, Integer::sum);
            if (ar.failed()) {
                capacityFreed(key);
            }
        });
    }

    private Waiter nextWaiter(PoolKey key) {
        ArrayDeque<Waiter> q = waiters.get(key);
        Waiter w = q == null ? null : q.pollFirst();
        if (w != null && w.timer >= 0) {
            vertx.cancelTimer(w.timer);
        }
        return w;
    }

    /** A connection of {@code key} closed or failed to open: a waiter may open a new one now. */
    private void capacityFreed(PoolKey key) {
        ArrayDeque<Waiter> q = waiters.get(key);
        if (q == null || q.isEmpty() || !hasRoom(key)) {
            return;
        }
        Waiter w = nextWaiter(key);
        open(key, w.opener).onComplete(w.promise);
    }

    /** ParameterStatus values a login of this shape received, or null if none was seen on this event loop. */
    public Map<String, String> welcome(String shape) {
        return welcomes.get(shape);
    }

    public void rememberWelcome(String shape, Map<String, String> parameterStatus) {
        if (welcomes.size() < 10_000 || welcomes.containsKey(shape)) {
            welcomes.put(shape, Map.copyOf(parameterStatus));
        }
    }
}
