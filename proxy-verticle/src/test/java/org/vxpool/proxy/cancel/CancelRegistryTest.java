package org.vxpool.proxy.cancel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vxpool.proxy.protocol.BackendKeyData;

class CancelRegistryTest {
    private static final CancelTarget NOTHING = List::of;

    @Test
    void clusteredNodeIssuesPositivePidsCarryingItsTag() {
        int tag = CancelRegistry.tagOf(UUID.randomUUID().toString());
        CancelRegistry registry = new CancelRegistry(tag);
        Set<Integer> pids = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            BackendKeyData key = registry.register(NOTHING);
            assertThat(key.processId()).isPositive();
            assertThat(CancelRegistry.tagOfPid(key.processId())).isEqualTo(tag);
            pids.add(key.processId());
        }
        assertThat(pids).hasSize(2000);
        assertThat(registry.size()).isEqualTo(2000);
    }

    @Test
    void extremeTagsStayPositive() {
        int maxTag = (1 << CancelRegistry.TAG_BITS) - 1;
        for (int tag : new int[] {0, maxTag}) {
            CancelRegistry registry = new CancelRegistry(tag);
            for (int i = 0; i < 200; i++) {
                int pid = registry.register(NOTHING).processId();
                assertThat(pid).isPositive();
                assertThat(CancelRegistry.tagOfPid(pid)).isEqualTo(tag);
            }
        }
    }

    @Test
    void tagsSpreadOverNodeIds() {
        Set<Integer> tags = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int tag = CancelRegistry.tagOf(UUID.randomUUID().toString());
            assertThat(tag).isBetween(0, (1 << CancelRegistry.TAG_BITS) - 1);
            tags.add(tag);
        }
        // 200 draws from 1024 values: a constant or badly mixed tag would give far fewer
        assertThat(tags.size()).isGreaterThan(150);
    }

    @Test
    void lookupNeedsTheRightSecretAndEndsWithTheSession() {
        CancelRegistry registry = new CancelRegistry();
        CancelTarget target = () -> List.of(new BackendCancelKey("127.0.0.1", 5432, 1, 2));
        BackendKeyData key = registry.register(target);

        assertThat(registry.lookup(key.processId(), key.secretKey())).contains(target);
        assertThat(registry.lookup(key.processId(), key.secretKey() + 1)).isEmpty();
        assertThat(registry.lookup(key.processId() ^ 1, key.secretKey())).isEmpty();
        registry.unregister(key);
        assertThat(registry.lookup(key.processId(), key.secretKey())).isEmpty();
    }
}
