package org.vxpool.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The graceful detach's hold as one Vert.x instance's proxies see it: renewed, ended, or lapsed. */
class DrainTest {
    private static final long LONG = TimeUnit.SECONDS.toNanos(60);

    @Test
    void theActiveNodesWordsStartRenewAndEndIt() {
        Drain drain = new Drain();
        AtomicInteger changes = new AtomicInteger();
        drain.listen(changes::incrementAndGet);
        assertThat(drain.active()).isFalse();

        drain.set(true, LONG);
        drain.set(true, LONG);
        assertThat(drain.active()).isTrue();
        assertThat(changes).as("a renewal is no change").hasValue(1);

        drain.set(false, LONG);
        assertThat(drain.active()).isFalse();
        assertThat(changes).hasValue(2);
        drain.set(false, LONG);
        assertThat(changes).hasValue(2);
    }

    /** An Active node that died mid-wait says nothing more: the hold ends with its last lease. */
    @Test
    void aLeaseThatIsNotRenewedRunsOut() throws InterruptedException {
        Drain drain = new Drain();
        drain.set(true, TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(drain.active()).isTrue();
        Thread.sleep(400);
        assertThat(drain.active()).isFalse();

        AtomicInteger changes = new AtomicInteger();
        drain.listen(changes::incrementAndGet);
        drain.set(true, LONG);
        assertThat(drain.active()).isTrue();
        assertThat(changes).as("a new wait after a lapsed one starts again").hasValue(1);
    }

    @Test
    void aListenerRemovedHearsNothing() {
        Drain drain = new Drain();
        AtomicInteger changes = new AtomicInteger();
        Runnable r = changes::incrementAndGet;
        drain.listen(r);
        drain.unlisten(r);
        drain.set(true, LONG);
        assertThat(changes).hasValue(0);
    }
}
