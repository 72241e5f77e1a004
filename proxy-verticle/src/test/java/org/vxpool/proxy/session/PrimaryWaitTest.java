package org.vxpool.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;

/** The window in which new clients wait for a primary, driven with made-up clocks. */
class PrimaryWaitTest {
    private static final long WINDOW = 10;

    private static ClusterView view(long epoch, NodeStatus s0, NodeRole r0, NodeStatus s1, NodeRole r1) {
        return new ClusterView(epoch, List.of(new BackendNode(0, "h", 5432, 1, s0, r0, 0),
                new BackendNode(1, "h", 5433, 1, s1, r1, 0)));
    }

    private static ClusterView withPrimary(long epoch) {
        return view(epoch, NodeStatus.UP, NodeRole.PRIMARY, NodeStatus.UP, NodeRole.STANDBY);
    }

    /** The old primary is down, the standby not promoted yet: a failover is under way. */
    private static ClusterView failingOver(long epoch) {
        return view(epoch, NodeStatus.DOWN, NodeRole.UNKNOWN, NodeStatus.UP, NodeRole.STANDBY);
    }

    @Test
    void theWindowOpensAtStartWithoutAView() {
        PrimaryWait w = new PrimaryWait(100);
        assertThat(w.remainingNanos(WINDOW, 103)).isEqualTo(7);
        assertThat(w.remainingNanos(WINDOW, 110)).isZero();
        assertThat(w.remainingNanos(WINDOW, 500)).isZero();
    }

    @Test
    void theWindowOpensWhenThePrimaryGoesAndNotAgainWhileItStaysAway() {
        PrimaryWait w = new PrimaryWait(0);
        w.viewChanged(withPrimary(1), 1);
        assertThat(w.remainingNanos(WINDOW, 1_000)).as("a primary is known: the whole window").isEqualTo(WINDOW);
        w.viewChanged(failingOver(2), 1_000);
        assertThat(w.remainingNanos(WINDOW, 1_004)).isEqualTo(6);
        // another view without a primary (a standby's lag, a quarantine) does not extend the wait
        w.viewChanged(view(3, NodeStatus.DOWN, NodeRole.UNKNOWN, NodeStatus.QUARANTINE, NodeRole.STANDBY), 1_005);
        assertThat(w.remainingNanos(WINDOW, 1_008)).isEqualTo(2);
        assertThat(w.remainingNanos(WINDOW, 1_010)).isZero();
        w.viewChanged(view(4, NodeStatus.DOWN, NodeRole.UNKNOWN, NodeStatus.UP, NodeRole.PRIMARY), 2_000);
        w.viewChanged(failingOver(5), 3_000);
        assertThat(w.remainingNanos(WINDOW, 3_001)).as("the next loss opens a new window").isEqualTo(9);
    }

    @Test
    void everyViewWakesTheWaitersUntilTheyLeave() {
        PrimaryWait w = new PrimaryWait(0);
        List<String> woken = new ArrayList<>();
        Runnable a = () -> woken.add("a");
        Runnable b = () -> woken.add("b");
        w.add(a);
        w.add(b);
        assertThat(w.waiting()).isEqualTo(2);
        w.viewChanged(failingOver(1), 1);
        w.remove(a);
        w.viewChanged(withPrimary(2), 2);
        assertThat(woken).containsExactly("a", "b", "b");
        assertThat(w.waiting()).isEqualTo(1);
    }

    @Test
    void aWaiterMayLeaveWhileBeingWoken() {
        PrimaryWait w = new PrimaryWait(0);
        List<String> woken = new ArrayList<>();
        Runnable[] self = new Runnable[1];
        self[0] = () -> {
            woken.add("x");
            w.remove(self[0]);
        };
        w.add(self[0]);
        w.add(() -> woken.add("y"));
        w.viewChanged(withPrimary(1), 1);
        assertThat(woken).containsExactly("x", "y");
        assertThat(w.waiting()).isEqualTo(1);
    }

    @Test
    void noPrimaryCanAppearWhenEveryNodeIsDownOrUnused() {
        assertThat(PrimaryWait.primaryMayAppear(null)).as("no view yet").isTrue();
        assertThat(PrimaryWait.primaryMayAppear(failingOver(1))).isTrue();
        assertThat(PrimaryWait.primaryMayAppear(view(1, NodeStatus.DOWN, NodeRole.UNKNOWN, NodeStatus.QUARANTINE,
                NodeRole.PRIMARY))).as("a quarantined primary may come back").isTrue();
        assertThat(PrimaryWait.primaryMayAppear(view(1, NodeStatus.WAITING, NodeRole.UNKNOWN, NodeStatus.UNUSED,
                NodeRole.UNKNOWN))).as("not checked yet").isTrue();
        assertThat(PrimaryWait.primaryMayAppear(view(1, NodeStatus.DOWN, NodeRole.UNKNOWN, NodeStatus.UNUSED,
                NodeRole.UNKNOWN))).isFalse();
    }
}
