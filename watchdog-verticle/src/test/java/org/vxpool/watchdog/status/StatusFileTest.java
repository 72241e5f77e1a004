package org.vxpool.watchdog.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;

class StatusFileTest {
    @TempDir
    Path dir;

    private static BackendNode node(int id, NodeStatus status) {
        return new BackendNode(id, "h", 5432 + id, 1, status, NodeRole.UNKNOWN, 0);
    }

    @Test
    void writesPgpoolWordsOneLinePerNodeAndReadsThemBack() throws Exception {
        StatusFile file = new StatusFile(dir.resolve("sub/pgpool_status"));
        file.write(List.of(node(0, NodeStatus.DOWN), node(1, NodeStatus.UP), node(2, NodeStatus.WAITING),
                node(3, NodeStatus.UNUSED), node(4, NodeStatus.QUARANTINE)));
        assertThat(Files.readString(file.path())).isEqualTo("down\nup\nup\nunused\nup\n");
        assertThat(file.read()).contains(List.of(NodeStatus.DOWN, NodeStatus.UP, NodeStatus.UP, NodeStatus.UNUSED,
                NodeStatus.UP));
        assertThat(dir.resolve("sub")).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
    }

    @Test
    void missingFileReadsAsNothing() {
        assertThat(new StatusFile(dir.resolve("none")).read()).isEmpty();
    }

    @Test
    void allDownIsIgnoredLikePgpool() throws Exception {
        Files.writeString(dir.resolve("s"), "down\ndown\n");
        assertThat(new StatusFile(dir.resolve("s")).read()).isEmpty();
    }

    @Test
    void unknownWordReadsAsUpAndBlankLinesAreSkipped() throws Exception {
        Files.writeString(dir.resolve("s"), "down\n\nweird\n");
        assertThat(new StatusFile(dir.resolve("s")).read()).contains(List.of(NodeStatus.DOWN, NodeStatus.UP));
    }

    @Test
    void discardDeletesTheFile() throws Exception {
        Files.writeString(dir.resolve("s"), "down\nup\n");
        StatusFile file = new StatusFile(dir.resolve("s"));
        file.discard();
        assertThat(file.path()).doesNotExist();
    }
}
