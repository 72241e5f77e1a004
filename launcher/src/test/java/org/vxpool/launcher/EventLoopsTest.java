package org.vxpool.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vxpool.common.config.PoolMode;

class EventLoopsTest {

    @Test
    void sessionPoolingRunsOneLoopPerCore() {
        assertThat(EventLoops.count(null, PoolMode.SESSION, 1)).isEqualTo(1);
        assertThat(EventLoops.count(null, PoolMode.SESSION, 2)).isEqualTo(2);
        assertThat(EventLoops.count(null, PoolMode.SESSION, 8)).isEqualTo(8);
    }

    @Test
    void transactionPoolingRunsOneLoopOnOneOrTwoCoresAndOnePerCoreAbove() {
        assertThat(EventLoops.count(null, PoolMode.TRANSACTION, 1)).isEqualTo(1);
        assertThat(EventLoops.count(null, PoolMode.TRANSACTION, 2)).isEqualTo(1);
        assertThat(EventLoops.count(null, PoolMode.TRANSACTION, 3)).isEqualTo(3);
        assertThat(EventLoops.count(null, PoolMode.TRANSACTION, 16)).isEqualTo(16);
    }

    @Test
    void thePropertyWinsInBothModes() {
        assertThat(EventLoops.count("4", PoolMode.TRANSACTION, 2)).isEqualTo(4);
        assertThat(EventLoops.count(" 3 ", PoolMode.SESSION, 2)).isEqualTo(3);
        assertThat(EventLoops.count("1", PoolMode.SESSION, 8)).isEqualTo(1);
    }

    @Test
    void aBadPropertyIsNamedAndNotUsed() {
        assertThat(EventLoops.problem("0")).contains("-Dvxpool.event_loops=0: a positive number of event loops expected");
        assertThat(EventLoops.problem("x")).isPresent();
        assertThat(EventLoops.problem(null)).isEmpty();
        assertThat(EventLoops.problem("2")).isEmpty();
    }
}
