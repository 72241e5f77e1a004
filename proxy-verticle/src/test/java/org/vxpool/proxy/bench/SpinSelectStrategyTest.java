package org.vxpool.proxy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.SelectStrategy;
import org.junit.jupiter.api.Test;

class SpinSelectStrategyTest {
    private long now = 1_000_000;
    private int ready;
    private int polls;
    private final SpinSelectStrategy strategy = new SpinSelectStrategy(20_000, false, () -> now);

    private int next() throws Exception {
        return strategy.calculateStrategy(() -> {
            polls++;
            return ready;
        }, false);
    }

    @Test
    void pollsWithoutBlockingUntilTheBudgetAfterAWakeUpIsSpent() throws Exception {
        assertThat(next()).isZero(); // the first call counts as a wake-up
        now += 19_999;
        assertThat(next()).isZero();
        now += 1;
        assertThat(next()).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).isEqualTo(3);
    }

    @Test
    void readyEventsRestartTheBudget() throws Exception {
        next();
        now += 15_000;
        ready = 2;
        assertThat(next()).isEqualTo(2);
        ready = 0;
        now += 15_000;
        assertThat(next()).as("15 µs after the last I/O").isZero();
        now += 5_000;
        assertThat(next()).isEqualTo(SelectStrategy.SELECT);
    }

    @Test
    void theCallAfterABlockingWaitStartsANewWindow() throws Exception {
        next();
        now += 20_000;
        assertThat(next()).isEqualTo(SelectStrategy.SELECT);
        now += 5_000_000; // slept 5 ms, woken by a timer: no ready channel
        assertThat(next()).isZero();
        now += 19_000;
        assertThat(next()).isZero();
        now += 1_000;
        assertThat(next()).isEqualTo(SelectStrategy.SELECT);
    }

    @Test
    void pendingTasksNeverBlockAndCountAsActivity() throws Exception {
        next();
        now += 50_000;
        assertThat(strategy.calculateStrategy(() -> 0, true)).isZero();
        now += 10_000;
        assertThat(next()).isZero();
    }

    @Test
    void aZeroBudgetBlocksAsSoonAsNothingIsReady() throws Exception {
        SpinSelectStrategy noSpin = new SpinSelectStrategy(0, false, () -> now);
        assertThat(noSpin.calculateStrategy(() -> 0, false)).isZero();
        assertThat(noSpin.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(noSpin.calculateStrategy(() -> 3, false)).isEqualTo(3);
    }
}
