package org.vxpool.watchdog.recovery;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One recovery's progress as published on {@code RECOVERY_PROGRESS}: which stages started when,
 * and how it ended. Owned by the Active node's event loop; every change produces a new JSON body.
 */
final class RecoveryProgress {
    /** How a recovery stands. */
    enum State {
        RUNNING, DONE, FAILED;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final int node;
    private final long startedAt;
    private final JsonArray stages = new JsonArray();
    private RecoveryStage current;
    private State state = State.RUNNING;
    private String message = "";

    RecoveryProgress(int node, long startedAt) {
        this.node = node;
        this.startedAt = startedAt;
    }

    int node() {
        return node;
    }

    RecoveryStage current() {
        return current;
    }

    State state() {
        return state;
    }

    void enter(RecoveryStage stage, long now) {
        finishCurrent(now);
        current = stage;
        stages.add(new JsonObject().put("stage", stage.key()).put("name", stage.label()).put("startedAt", now));
    }

    void done(String text, long now) {
        finishCurrent(now);
        state = State.DONE;
        message = text;
    }

    void failed(String reason, long now) {
        finishCurrent(now);
        state = State.FAILED;
        message = reason;
    }

    private void finishCurrent(long now) {
        if (!stages.isEmpty()) {
            JsonObject last = stages.getJsonObject(stages.size() - 1);
            if (!last.containsKey("finishedAt")) {
                last.put("finishedAt", now);
            }
        }
    }

    JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("node", node)
                .put("state", state.key())
                .put("startedAt", startedAt)
                .put("stages", stages.copy())
                .put("message", message);
        if (current != null) {
            json.put("stage", current.key()).put("stageName", current.label());
        }
        return json;
    }
}
