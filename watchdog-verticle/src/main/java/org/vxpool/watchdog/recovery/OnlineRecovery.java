package org.vxpool.watchdog.recovery;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.Addresses;
import org.vxpool.common.config.BackendConfig;
import org.vxpool.common.config.RecoveryMode;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.watchdog.failover.FailoverException;
import org.vxpool.watchdog.failover.PrimarySearch;
import org.vxpool.watchdog.health.PgProbe;

/**
 * Online recovery (pcp_recovery_node) of a down node as a standby of the current primary:
 * 1st stage, remote start, wait until the node accepts connections in recovery, then the
 * coordinator's ordinary attach (failback). One recovery at a time; run by the Active node.
 * Every stage change is published on {@link Addresses#RECOVERY_PROGRESS}; every node keeps the
 * latest status per backend for {@link Addresses#RECOVERY_STATUS}. Confined to the watchdog
 * verticle's event loop.
 */
public final class OnlineRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(OnlineRecovery.class);
    private static final long POLL_MILLIS = 250;

    /** The coordinator's attach: status up, new epoch, status file, publish, failback_command. */
    public interface Attach {
        Future<JsonObject> attach(int nodeId, String reason);
    }

    private final Vertx vertx;
    private final List<BackendConfig> backends;
    /** Replaced by a reload; a recovery keeps the settings it started with. */
    private RecoverySettings settings;
    private final Supplier<ClusterView> view;
    private final PrimarySearch probes;
    private final Attach attach;
    private final Map<Integer, JsonObject> latest = new TreeMap<>();
    private RecoveryProgress running;

    public OnlineRecovery(Vertx vertx, List<BackendConfig> backends, RecoverySettings settings,
                          Supplier<ClusterView> view, PrimarySearch probes, Attach attach) {
        this.vertx = vertx;
        this.backends = backends;
        this.settings = settings;
        this.view = view;
        this.probes = probes;
        this.attach = attach;
    }

    /** POST /reload: the recovery_* settings apply from the next recovery on. */
    public void reconfigure(RecoverySettings newer) {
        this.settings = newer;
    }

    /** On every node: progress from the Active node, and the status request. */
    public void registerLocal(EventBus bus) {
        bus.<JsonObject>consumer(Addresses.RECOVERY_PROGRESS, msg -> latest.put(msg.body().getInteger("node"), msg.body()));
        bus.<JsonObject>localConsumer(Addresses.RECOVERY_STATUS, msg -> msg.reply(status()));
    }

    /** {@code {"running": bool, "recoveries": [the latest status of each node ever recovered]}}. */
    public JsonObject status() {
        JsonArray all = new JsonArray();
        latest.values().forEach(all::add);
        boolean anyRunning = latest.values().stream()
                .anyMatch(s -> RecoveryProgress.State.RUNNING.key().equals(s.getString("state")));
        return new JsonObject().put("running", anyRunning).put("recoveries", all);
    }

    /**
     * Recovers node {@code id}. With {@code wait}, completes when the recovery has ended; otherwise
     * as soon as it has started. Fails with a {@link FailoverException} whose message is the reason.
     */
    public Future<JsonObject> recover(int id, boolean wait) {
        String refusal = refusal(id);
        if (refusal != null) {
            LOG.warn("recovery of node {} refused: {}", id, refusal);
            return Future.failedFuture(new FailoverException(refusal));
        }
        ClusterView v = view.get();
        BackendConfig primary = backends.get(v.primary().orElseThrow().id());
        BackendConfig dest = backends.get(id);
        RecoveryProgress progress = new RecoveryProgress(id, System.currentTimeMillis());
        running = progress;
        LOG.info("starting recovery of node {} {}({}) from primary node {} {}({}), recovery_mode = {}", id, dest.host(),
                dest.port(), primary.id(), primary.host(), primary.port(), settings.mode().name().toLowerCase(java.util.Locale.ROOT));
        Future<JsonObject> result = stages(progress, new RecoveryScripts.Target(primary, dest))
                .transform(ar -> finish(progress, primary, ar));
        if (wait) {
            return result;
        }
        return Future.succeededFuture(new JsonObject().put("ok", true)
                .put("message", "recovery of node " + id + " started").put("progress", progress.toJson()));
    }

    private String refusal(int id) {
        if (running != null) {
            return "recovery of node " + running.node() + " already running";
        }
        BackendNode node = view.get().node(id);
        if (node.status() != NodeStatus.DOWN) {
            return "node " + id + " is " + node.status().pgpoolName() + "; only a down node can be recovered";
        }
        Optional<BackendNode> primary = view.get().primary().filter(BackendNode::routable);
        if (primary.isEmpty()) {
            return "there is no live primary to recover node " + id + " from";
        }
        String missing = settings.missingSetting();
        if (missing != null) {
            return missing;
        }
        if (backends.get(id).dataDirectory().isEmpty()) {
            return "backend_data_directory" + id + " is not set; the recovery scripts need the node's data directory";
        }
        return null;
    }

    private Future<JsonObject> stages(RecoveryProgress p, RecoveryScripts.Target target) {
        RecoverySettings settings = this.settings;
        RecoveryScripts scripts = settings.mode() == RecoveryMode.LOCAL
                ? new LocalScripts(vertx, settings) : new ExtensionScripts(vertx, settings);
        int id = p.node();
        long[] deadline = new long[1];
        return stage(p, RecoveryStage.FIRST_STAGE, () -> scripts.firstStage(target))
                .compose(v -> {
                    // recovery_timeout covers starting the node and waiting for it, as in pgpool.
                    deadline[0] = System.nanoTime() + settings.effectiveTimeout().toNanos();
                    return stage(p, RecoveryStage.REMOTE_START, () -> scripts.remoteStart(target, settings.effectiveTimeout()));
                })
                .compose(v -> stage(p, RecoveryStage.WAIT_FOR_CONNECTIONS,
                        () -> awaitStandby(id, deadline[0], settings.effectiveTimeout())))
                .compose(v -> stage(p, RecoveryStage.FAILBACK, () -> attach.attach(id, "online recovery")));
    }

    private <T> Future<T> stage(RecoveryProgress p, RecoveryStage stage, Supplier<Future<T>> work) {
        p.enter(stage, System.currentTimeMillis());
        publish(p);
        LOG.info("recovery of node {}: {} started", p.node(), stage.label());
        Future<T> f;
        try {
            f = work.get();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        return f.recover(e -> Future.failedFuture(new FailoverException("recovery of node " + p.node()
                + " failed at stage " + stage.label() + ": " + e.getMessage())));
    }

    /** Polls until the node answers and is in recovery; a node that answers as a primary fails at once. */
    private Future<Void> awaitStandby(int id, long deadlineNanos, Duration bound) {
        return PgProbe.query(vertx, probes.target(id), probes.timeout(id), "SELECT pg_is_in_recovery()")
                .transform(ar -> {
                    if (ar.succeeded() && Boolean.TRUE.equals(ar.result().get(0).getBoolean(0))) {
                        return Future.succeededFuture();
                    }
                    if (ar.succeeded()) {
                        return Future.failedFuture(new IllegalStateException("node " + id
                                + " accepts connections but is not in recovery (no standby.signal?); it was not attached"));
                    }
                    if (System.nanoTime() > deadlineNanos) {
                        return Future.failedFuture(new IllegalStateException("node " + id + " did not accept connections within"
                                + " recovery_timeout (" + bound.toSeconds() + " s): "
                                + ar.cause().getMessage()));
                    }
                    return vertx.timer(POLL_MILLIS).compose(t -> awaitStandby(id, deadlineNanos, bound));
                });
    }

    private Future<JsonObject> finish(RecoveryProgress p, BackendConfig primary, AsyncResult<JsonObject> ar) {
        running = null;
        long now = System.currentTimeMillis();
        if (ar.failed()) {
            p.failed(ar.cause().getMessage(), now);
            publish(p);
            LOG.error("{}; node {} stays down", ar.cause().getMessage(), p.node());
            return Future.failedFuture(ar.cause());
        }
        BackendConfig dest = backends.get(p.node());
        String message = "node " + p.node() + " recovered as a standby of node " + primary.id();
        p.done(message, now);
        publish(p);
        LOG.info("recovery done. node {} {}({}) is up as a standby of primary node {} ({} ms)", p.node(), dest.host(), dest.port(),
                primary.id(), now - p.toJson().getLong("startedAt"));
        return Future.succeededFuture(new JsonObject().put("ok", true).put("message", message).put("progress", p.toJson()));
    }

    private void publish(RecoveryProgress p) {
        JsonObject body = p.toJson();
        latest.put(p.node(), body);
        vertx.eventBus().publish(Addresses.RECOVERY_PROGRESS, body);
    }
}
