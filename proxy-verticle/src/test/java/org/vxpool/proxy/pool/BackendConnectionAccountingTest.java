package org.vxpool.proxy.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;

/** Which sequences leave a backend quiet (reusable) and which leave answers owed. */
class BackendConnectionAccountingTest {

    private static BackendConnection conn() {
        BackendNode node = new BackendNode(0, "127.0.0.1", 5432, 1, NodeStatus.UP, NodeRole.PRIMARY, 0);
        return new BackendConnection(1, new PoolKey(0, "u", "d"), node, null, SessionParams.of(Map.of()));
    }

    private static void send(BackendConnection c, String types) {
        for (char t : types.toCharArray()) {
            c.sent((byte) t);
        }
    }

    @Test
    void pipelinedBatchesNeedOneReadyEach() {
        BackendConnection c = conn();
        send(c, "PBDES" + "BES" + "Q");
        assertThat(c.pendingReady()).isEqualTo(3);
        c.readyReceived((byte) 'I');
        c.readyReceived((byte) 'T');
        assertThat(c.isQuiet()).isFalse();
        c.readyReceived((byte) 'I');
        assertThat(c.isQuiet()).isTrue();
        assertThat(c.txStatus()).isEqualTo((byte) 'I');
    }

    @Test
    void unsyncedExtendedMessagesAreNotQuiet() {
        BackendConnection c = conn();
        send(c, "PB");
        assertThat(c.isQuiet()).isFalse();
        send(c, "S");
        c.readyReceived((byte) 'I');
        assertThat(c.isQuiet()).isTrue();
    }

    @Test
    void extendedCopyInIgnoresTheSyncSentWithExecute() {
        BackendConnection c = conn();
        send(c, "PBDES");
        c.copyInStarted();
        send(c, "ddd" + "S" + "c" + "S");
        assertThat(c.pendingReady()).isEqualTo(1);
        c.readyReceived((byte) 'I');
        assertThat(c.isQuiet()).isTrue();
    }

    @Test
    void simpleCopyIn() {
        BackendConnection c = conn();
        send(c, "Q");
        c.copyInStarted();
        send(c, "ddc");
        assertThat(c.pendingReady()).isEqualTo(1);
        c.readyReceived((byte) 'I');
        assertThat(c.isQuiet()).isTrue();
    }
}
