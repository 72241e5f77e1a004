package org.vxpool.proxy.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The per-connection LRU of statements transaction pooling prepared. */
class ServerStatementsTest {
    @Test
    void evictsTheLeastRecentlyUsedBeyondCapacity() {
        ServerStatements s = new ServerStatements(2);
        assertThat(s.add("a")).isEmpty();
        assertThat(s.add("b")).isEmpty();
        assertThat(s.contains("a")).isTrue();
        assertThat(s.add("c")).containsExactly("b");
        assertThat(s.contains("b")).isFalse();
        assertThat(s.contains("a")).isTrue();
        assertThat(s.size()).isEqualTo(2);
    }

    @Test
    void reAddingIsAUseNotAGrowth() {
        ServerStatements s = new ServerStatements(1);
        assertThat(s.add("a")).isEmpty();
        assertThat(s.add("a")).isEmpty();
        assertThat(s.size()).isEqualTo(1);
        s.remove("a");
        assertThat(s.contains("a")).isFalse();
    }

    @Test
    void capacityMustBePositive() {
        assertThatThrownBy(() -> new ServerStatements(0)).hasMessageContaining("at least 1");
    }
}
