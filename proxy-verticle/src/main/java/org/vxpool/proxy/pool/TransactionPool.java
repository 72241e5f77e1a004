package org.vxpool.proxy.pool;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.vxpool.proxy.pool.BackendConnection.State;
import org.vxpool.proxy.protocol.ParameterStatus;

/**
 * Transaction pooling on one event loop: at most {@code default_pool_size} connections per
 * {@link PoolKey}, lent to a client for one transaction and given back when it ends. Idle ones
 * live in the {@link BackendPool}'s idle stack (so connection_life_time, node-down and shutdown
 * apply to them unchanged); clients that find none free and the pool full wait in FIFO order, at
 * most {@code pool_timeout}, watched by one timer per event loop (not one per wait: a busy pool
 * has a waiter for most transactions). Also remembers the ParameterStatus values of each login
 * shape, so later clients can start without a backend.
 */
public final class TransactionPool {
    private final Vertx vertx;
    private final BackendPool pool;
    private int size;
    private long timeoutMillis;
    private int pipelineDepth;
    /** tx_pipeline_max_age in nanoseconds; 0 = no limit. */
    private long pipelineMaxAgeNanos;
    /**
     * Connections of each key lent for a transaction, for pipelining; entries that were closed
     * meanwhile are dropped when the list is next read.
     */
    private final Map<PoolKey, List<BackendConnection>> lent = new HashMap<>();
    private final Map<PoolKey, ArrayDeque<Waiter>> waiters = new HashMap<>();
    /** Connections being opened (TCP connect + login) per key, not yet counted by the pool. */
    private final Map<PoolKey, Integer> opening = new HashMap<>();
    private final Map<String, Welcome> welcomes = new HashMap<>();
    /** The timer that fails waiters past their deadline, or -1; it fires at {@link #timerDeadline}. */
    private long timer = -1;
    private long timerDeadline;

    private static final class Waiter {
        final Promise<BackendConnection> promise = Promise.promise();
        final Supplier<Future<BackendConnection>> opener;
        /** The pool_timeout in force when the wait began, and when it ends (System.nanoTime); 0 = none. */
        final long timeoutMillis;
        final long deadline;
        /**
         * PostgreSQL refused this waiter's own login with 53300 (its limit is below the pool's
         * size): it waits for a connection given back, and opens one only when none of its key
         * is open. Else null.
         */
        final String refusal;
        /**
         * Pipelining: offered a busy connection, it goes behind the units there (true: served, its
         * promise is left alone) or declines; null for a unit that needs a connection of its own.
         */
        final Predicate<BackendConnection> joiner;

        Waiter(Supplier<Future<BackendConnection>> opener, long timeoutMillis, String refusal,
               Predicate<BackendConnection> joiner) {
            this.opener = opener;
            this.timeoutMillis = timeoutMillis;
            this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            this.refusal = refusal;
            this.joiner = joiner;
        }
    }

    public TransactionPool(Vertx vertx, BackendPool pool, int size, long timeoutMillis) {
        this(vertx, pool, size, timeoutMillis, 1);
    }

    public TransactionPool(Vertx vertx, BackendPool pool, int size, long timeoutMillis, int pipelineDepth) {
        this.vertx = vertx;
        this.pool = pool;
        this.size = size;
        this.timeoutMillis = timeoutMillis;
        this.pipelineDepth = pipelineDepth;
        pool.onClosed(this::capacityFreed);
    }

    /** tx_pipeline_depth: units of several clients on one connection, the running one included; 1 = off. */
    public int pipelineDepth() {
        return pipelineDepth;
    }

    public void pipelineDepth(int depth) {
        pipelineDepth = depth;
    }

    /**
     * tx_pipeline_max_age: whether a unit may still go behind the one running on {@code c}, which
     * answered last or started its running statement {@code c.sinceProgressNanos(now)} ago. A statement
     * that has run for a while may run much longer; a short read queued behind it would wait for
     * it, where without pipelining it takes whichever connection frees first.
     */
    public boolean freshEnough(BackendConnection c, long now) {
        return pipelineMaxAgeNanos == 0 || c.sinceProgressNanos(now) <= pipelineMaxAgeNanos;
    }

    public void pipelineMaxAge(int millis) {
        pipelineMaxAgeNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /**
     * Whether a unit for {@code key} would wait: no idle connection, no room for a new one, and
     * nobody waits already (a waiter keeps its turn: a unit that skipped it could starve it).
     */
    public boolean exhausted(PoolKey key) {
        ArrayDeque<Waiter> queue = waiters.get(key);
        return (queue == null || queue.isEmpty()) && !hasRoom(key) && pool.idleCount(key) == 0;
    }

    /** The connections of {@code key} lent for a transaction now (read-only; closed ones dropped). */
    public List<BackendConnection> lent(PoolKey key) {
        List<BackendConnection> l = lent.get(key);
        if (l == null) {
            return List.of();
        }
        l.removeIf(c -> c.state() != State.ACTIVE);
        return l;
    }

    private BackendConnection lend(BackendConnection c) {
        if (c != null) {
            List<BackendConnection> l = lent.computeIfAbsent(c.key(), k -> new ArrayList<>(size));
            if (l.size() >= size) {
                // connections closed while lent (not given back) are dropped here at the latest
                l.removeIf(x -> x.state() != State.ACTIVE);
            }
            l.add(c);
        }
        return c;
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
        for (PoolKey key : List.copyOf(waiters.keySet())) {
            ArrayDeque<Waiter> q = waiters.get(key);
            while (q != null && !q.isEmpty() && hasRoom(key) && capacityFreed(key)) {
                // one waiter served per new slot
            }
        }
    }

    /**
     * A connection of {@code key} for one transaction: an idle one, a new one from {@code opener}
     * while the pool has room, else the next one given back. Fails with {@link PoolTimeoutException}
     * after pool_timeout.
     */
    public Future<BackendConnection> acquire(PoolKey key, Supplier<Future<BackendConnection>> opener) {
        return acquire(key, opener, null);
    }

    /**
     * As {@link #acquire(PoolKey, Supplier)}; while it waits, {@code joiner} (when not null) is
     * offered busy connections of the key in its turn ({@link #offer}).
     */
    public Future<BackendConnection> acquire(PoolKey key, Supplier<Future<BackendConnection>> opener,
                                             Predicate<BackendConnection> joiner) {
        ArrayDeque<Waiter> queue = waiters.get(key);
        if (queue == null || queue.isEmpty()) {
            BackendConnection idle = pool.pollIdle(key);
            if (idle != null) {
                return Future.succeededFuture(lend(idle));
            }
            if (hasRoom(key)) {
                return open(key, opener);
            }
        }
        return enqueue(key, new Waiter(opener, timeoutMillis, null, joiner), false);
    }

    /**
     * PostgreSQL refused a new connection of {@code key} with 53300 ({@code refusal} is its
     * message) while others of the key are open: the client waits, first in line, for one of
     * them to be given back, as it waits for a full pool (PgBouncer waits too), at most
     * pool_timeout. Another login is tried only once none of the key is open.
     */
    public Future<BackendConnection> awaitGiveBack(PoolKey key, Supplier<Future<BackendConnection>> opener, String refusal) {
        return enqueue(key, new Waiter(opener, timeoutMillis, refusal, null), true);
    }

    private Future<BackendConnection> enqueue(PoolKey key, Waiter w, boolean first) {
        ArrayDeque<Waiter> q = waiters.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (first) {
            q.addFirst(w);
        } else {
            q.addLast(w);
        }
        if (w.timeoutMillis > 0) {
            watch(w.deadline);
        }
        return w.promise.future();
    }

    /**
     * An idle connection of {@code key}, ACTIVE, when one is at hand and nobody waits for one;
     * else null ({@link #acquire} then queues or opens).
     */
    public BackendConnection idle(PoolKey key) {
        ArrayDeque<Waiter> queue = waiters.get(key);
        return queue == null || queue.isEmpty() ? lend(pool.pollIdle(key)) : null;
    }

    /**
     * Pipelining: {@code c} can take another unit. The waiters at the head of its key's queue that
     * may be pipelined go behind it, in their order, until one declines (a waiter that needs a
     * connection of its own keeps its turn: the others do not pass it).
     */
    public void offer(BackendConnection c) {
        ArrayDeque<Waiter> q = waiters.get(c.key());
        while (q != null && !q.isEmpty() && q.peekFirst().joiner != null && c.state() == State.ACTIVE) {
            Waiter w = q.pollFirst();
            if (!w.joiner.test(c)) {
                q.addFirst(w);
                return;
            }
        }
    }

    /** The timer fires at {@code deadline} at the latest; a waiter served before it costs nothing. */
    private void watch(long deadline) {
        if (timer >= 0) {
            if (timerDeadline - deadline <= 0) {
                return;
            }
            vertx.cancelTimer(timer);
        }
        timerDeadline = deadline;
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime() + 999_999));
        timer = vertx.setTimer(millis, t -> expire());
    }

    /** Fails the waiters whose pool_timeout has passed; watches the earliest remaining deadline. */
    private void expire() {
        timer = -1;
        long now = System.nanoTime();
        boolean any = false;
        long next = 0;
        List<Runnable> failures = new ArrayList<>();
        for (Map.Entry<PoolKey, ArrayDeque<Waiter>> e : waiters.entrySet()) {
            for (Iterator<Waiter> it = e.getValue().iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.timeoutMillis <= 0) {
                    continue;
                }
                if (w.deadline - now <= 0) {
                    it.remove();
                    PoolTimeoutException timeout = new PoolTimeoutException(e.getKey(), size, w.timeoutMillis, w.refusal);
                    failures.add(() -> w.promise.tryFail(timeout));
                } else if (!any || w.deadline - next < 0) {
                    any = true;
                    next = w.deadline;
                }
            }
        }
        if (any) {
            watch(next);
        }
        // after the walk: a failed client may start its next transaction at once and wait again
        failures.forEach(Runnable::run);
    }

    /** The transaction on {@code c} ended (quiet, idle): the next waiter gets it, else it goes idle. */
    public void giveBack(BackendConnection c) {
        List<BackendConnection> l = lent.get(c.key());
        if (l != null) {
            l.remove(c);
        }
        if (c.state() != State.ACTIVE) {
            return;
        }
        Waiter w = nextWaiter(c.key());
        if (w != null) {
            lend(c);
            w.promise.complete(c);
        } else if (pool.openCountOf(c) > size) {
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
            } else {
                lend(ar.result());
            }
        });
    }

    private Waiter nextWaiter(PoolKey key) {
        ArrayDeque<Waiter> q = waiters.get(key);
        return q == null ? null : q.pollFirst();
    }

    /**
     * A connection of {@code key} closed or failed to open: a waiter may open a new one now.
     * Returns whether one did.
     */
    private boolean capacityFreed(PoolKey key) {
        ArrayDeque<Waiter> q = waiters.get(key);
        if (q == null || q.isEmpty() || !hasRoom(key)) {
            return false;
        }
        if (q.peekFirst().refusal != null && pool.openCount(key) + opening.getOrDefault(key, 0) > 0) {
            // PostgreSQL refused a login of this key: logging in again while it has the same
            // connections would only be refused again
            return false;
        }
        Waiter w = nextWaiter(key);
        open(key, w.opener).onComplete(w.promise);
        return true;
    }

    /**
     * The ParameterStatus values a login of one shape received, and their frames: a client that
     * starts without a backend is welcomed with these bytes, encoded once per shape rather than
     * once per client.
     */
    public record Welcome(Map<String, String> parameterStatus, Buffer frames) {
        public static Welcome of(Map<String, String> parameterStatus) {
            Buffer frames = Buffer.buffer(32 * parameterStatus.size());
            parameterStatus.forEach((k, v) -> frames.appendBuffer(new ParameterStatus(k, v).encode()));
            return new Welcome(Map.copyOf(parameterStatus), frames);
        }
    }

    /** What a login of this shape received, or null if none was seen on this event loop. */
    public Welcome welcome(String shape) {
        return welcomes.get(shape);
    }

    /**
     * PostgreSQL no longer lets logins of this shape in (the database was dropped, the role's
     * password changed): the next client of the shape logs in for real and is refused as
     * PostgreSQL refuses it, instead of being welcomed into a session no statement can use.
     */
    public void forgetWelcome(String shape) {
        welcomes.remove(shape);
    }

    /** Keeps the values a new connection of this shape received; returns them as a welcome. */
    public Welcome rememberWelcome(String shape, Map<String, String> parameterStatus) {
        Welcome w = Welcome.of(parameterStatus);
        if (welcomes.size() < 10_000 || welcomes.containsKey(shape)) {
            welcomes.put(shape, w);
        }
        return w;
    }
}
