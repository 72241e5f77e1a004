package org.vxpool.watchdog.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vxpool.common.config.BackendConfig;
import org.vxpool.common.config.BackendFlag;
import org.vxpool.common.config.RecoveryMode;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;

/** What a recovery request is refused for, before anything runs; the reasons are the contract. */
class RecoveryRefusalTest {
    private static final RecoverySettings LOCAL = new RecoverySettings(RecoveryMode.LOCAL, "", "", "stage1", "start",
            Duration.ofSeconds(5), Duration.ZERO);
    private static final RecoverySettings EXTENSION = new RecoverySettings(RecoveryMode.EXTENSION, "", "", "stage1", "",
            Duration.ofSeconds(5), Duration.ZERO);

    private final Vertx vertx = Vertx.vertx();
    private final AtomicInteger attaches = new AtomicInteger();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private static BackendConfig backend(int id, String dataDir) {
        return new BackendConfig(id, "127.0.0.1", 5432 + id, 1, dataDir, Set.of(BackendFlag.ALLOW_TO_FAILOVER), "");
    }

    private static BackendNode node(int id, NodeStatus status, NodeRole role) {
        return new BackendNode(id, "127.0.0.1", 5432 + id, 1, status, role, 0);
    }

    private String refusal(RecoverySettings settings, List<BackendConfig> backends, ClusterView view, int id) {
        OnlineRecovery recovery = new OnlineRecovery(vertx, backends, settings, () -> view, null, (n, reason) -> {
            attaches.incrementAndGet();
            return Future.succeededFuture(new JsonObject());
        });
        Future<JsonObject> f = recovery.recover(id, true);
        assertThat(f.failed()).as("refused at once").isTrue();
        assertThat(recovery.status().getBoolean("running")).isFalse();
        return f.cause().getMessage();
    }

    @Test
    void refusesWhatCannotBeRecovered() {
        List<BackendConfig> backends = List.of(backend(0, "/d0"), backend(1, "/d1"));
        ClusterView failedOver = new ClusterView(3, List.of(node(0, NodeStatus.DOWN, NodeRole.UNKNOWN),
                node(1, NodeStatus.UP, NodeRole.PRIMARY)));
        assertThat(refusal(LOCAL, backends, failedOver, 1)).isEqualTo("node 1 is up; only a down node can be recovered");

        ClusterView noPrimary = new ClusterView(3, List.of(node(0, NodeStatus.DOWN, NodeRole.UNKNOWN),
                node(1, NodeStatus.UP, NodeRole.STANDBY)));
        assertThat(refusal(LOCAL, backends, noPrimary, 0)).isEqualTo("there is no live primary to recover node 0 from");

        assertThat(refusal(RecoverySettings.NONE, backends, failedOver, 0)).isEqualTo("recovery_1st_stage_command is not set");
        assertThat(refusal(EXTENSION, backends, failedOver, 0)).startsWith("recovery_user is not set");
        RecoverySettings localWithoutStart = new RecoverySettings(RecoveryMode.LOCAL, "", "", "stage1", "",
                Duration.ofSeconds(5), Duration.ZERO);
        assertThat(refusal(localWithoutStart, backends, failedOver, 0)).startsWith("recovery_remote_start_command is not set");
        assertThat(refusal(LOCAL, List.of(backend(0, ""), backend(1, "/d1")), failedOver, 0))
                .startsWith("backend_data_directory0 is not set");
        assertThat(attaches).hasValue(0);
    }

    @Test
    void progressRecordsEachStageWithItsTimes() {
        RecoveryProgress p = new RecoveryProgress(2, 1000);
        p.enter(RecoveryStage.FIRST_STAGE, 1000);
        p.enter(RecoveryStage.REMOTE_START, 1500);
        JsonObject running = p.toJson();
        assertThat(running.getString("state")).isEqualTo("running");
        assertThat(running.getString("stage")).isEqualTo("remote_start");
        assertThat(running.getJsonArray("stages").getJsonObject(0).getLong("finishedAt")).isEqualTo(1500);
        assertThat(running.getJsonArray("stages").getJsonObject(1).containsKey("finishedAt")).isFalse();
        p.failed("boom", 1700);
        JsonObject failed = p.toJson();
        assertThat(failed.getString("state")).isEqualTo("failed");
        assertThat(failed.getString("message")).isEqualTo("boom");
        assertThat(failed.getJsonArray("stages").getJsonObject(1).getLong("finishedAt")).isEqualTo(1700);
    }

    @Test
    void localArgumentsAreShellQuoted() {
        assertThat(LocalScripts.quote("/data/it's here")).isEqualTo("'/data/it'\\''s here'");
    }
}
