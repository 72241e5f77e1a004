package org.vxpool.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PoolPasswdFileTest {
    @Test
    void splitsAtTheFirstColonAndSkipsCommentsAndBlankLines() {
        List<PoolPasswdFile.Line> lines = PoolPasswdFile.split(List.of("# c", "", "alice:pa:ss\r", "broken"));
        assertThat(lines).containsExactly(new PoolPasswdFile.Line(3, "alice", "pa:ss"),
                new PoolPasswdFile.Line(4, null, "broken"));
    }

    @Test
    void onlyClearTextEntriesGiveAPassword() {
        assertThat(PoolPasswdFile.clearText("TEXTsecret")).contains("secret");
        assertThat(PoolPasswdFile.clearText("secret")).contains("secret");
        assertThat(PoolPasswdFile.clearText("md5short")).contains("md5short");
        assertThat(PoolPasswdFile.clearText("md5" + "0".repeat(32))).isEmpty();
        assertThat(PoolPasswdFile.clearText("SCRAM-SHA-256$4096:c2FsdA==$a:b")).isEmpty();
        assertThat(PoolPasswdFile.clearText("AESxyz")).isEmpty();
        assertThat(PoolPasswdFile.clearText("TEXT")).isEmpty();
    }
}
