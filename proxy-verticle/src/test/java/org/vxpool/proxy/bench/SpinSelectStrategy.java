package org.vxpool.proxy.bench;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.function.LongSupplier;

/**
 * A Netty select strategy that keeps polling ({@code epoll_wait} with a zero timeout) for a bounded
 * time after the loop last woke up or found I/O, and blocks only when that budget is spent. A
 * relayed request is usually answered within tens of microseconds, so a loop that is still polling
 * when the answer arrives saves the sleep and the wake-up (two context switches) it would cost.
 */
final class SpinSelectStrategy implements SelectStrategy {
    private final long budgetNanos;
    private final boolean yield;
    private final LongSupplier clock;
    private long lastActiveNanos;
    private boolean blocked = true;

    SpinSelectStrategy(long budgetNanos, boolean yield, LongSupplier clock) {
        this.budgetNanos = budgetNanos;
        this.yield = yield;
        this.clock = clock;
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        int ready = selectNow.get();
        long now = clock.getAsLong();
        if (ready > 0 || hasTasks || blocked) {
            // a blocking wait has just returned: that was a wake-up, so the window starts again
            lastActiveNanos = now;
            blocked = false;
            return ready;
        }
        if (now - lastActiveNanos < budgetNanos) {
            if (yield) {
                Thread.yield();
            }
            return ready;
        }
        blocked = true;
        return SelectStrategy.SELECT;
    }
}
