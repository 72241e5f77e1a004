package org.vxpool.watchdog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackendFlagTest {
    @Test
    void parsesPipeSeparatedWords() {
        assertThat(BackendFlag.parse("ALLOW_TO_FAILOVER | always_primary"))
                .containsExactlyInAnyOrder(BackendFlag.ALLOW_TO_FAILOVER, BackendFlag.ALWAYS_PRIMARY);
        assertThat(BackendFlag.parse("")).isEmpty();
        assertThat(BackendFlag.parse(null)).isEmpty();
    }

    @Test
    void unknownWordIsRejected() {
        assertThatThrownBy(() -> BackendFlag.parse("NEVER_FAIL")).isInstanceOf(IllegalArgumentException.class);
    }
}
