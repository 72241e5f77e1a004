package org.vxpool.watchdog.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vxpool.common.config.BackendConfig;

class PlaceholdersTest {
    private static final BackendConfig N0 = new BackendConfig(0, "db0", 5432, 1, "/data/0", Set.of(), "");
    private static final BackendConfig N1 = new BackendConfig(1, "db1", 5433, 1, "/data/1", Set.of(), "");
    private static final BackendConfig N2 = new BackendConfig(2, "db2", 5434, 1, "/data/2", Set.of(), "");

    @Test
    void everyPgpoolPlaceholderIsExpanded() {
        Placeholders p = new Placeholders(N0, N1, N0, N0);
        assertThat(p.expand("%d %h %p %D %m %H %M %P %r %R %N %S %%"))
                .isEqualTo("0 db0 5432 /data/0 1 db1 0 0 5433 /data/1 db0 5432 %");
    }

    @Test
    void missingNodesPrintLikePgpool() {
        Placeholders p = new Placeholders(N2, null, N0, null);
        assertThat(p.expand("[%m][%H][%r][%R][%P][%N][%S][%M]")).isEqualTo("[-1][][][][-1][][][0]");
    }

    @Test
    void unknownAndTrailingPercentStayAsWritten() {
        Placeholders p = new Placeholders(N0, N1, N0, N0);
        assertThat(p.expand("a %x b %%d c %")).isEqualTo("a %x b %d c %");
    }
}
