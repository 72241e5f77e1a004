package org.vxpool.watchdog;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.Addresses;
import org.vxpool.common.config.BackendConfig;
import org.vxpool.common.config.ConfigReload;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.watchdog.election.ClusterLeadership;
import org.vxpool.watchdog.election.LeadershipSettings;
import org.vxpool.watchdog.failover.FailoverCoordinator;
import org.vxpool.watchdog.failover.FailoverSettings;
import org.vxpool.watchdog.failover.FailoverException;
import org.vxpool.watchdog.failover.FailoverVotes;
import org.vxpool.watchdog.failover.GracefulRequests;
import org.vxpool.watchdog.failover.PrimarySearch;
import org.vxpool.watchdog.health.HealthChecker;
import org.vxpool.watchdog.lag.LagMonitor;
import org.vxpool.watchdog.lag.LagSettings;
import org.vxpool.watchdog.health.HealthSettings;
import org.vxpool.watchdog.health.HealthStats;
import org.vxpool.watchdog.recovery.OnlineRecovery;
import org.vxpool.watchdog.status.ClusterState;
import org.vxpool.watchdog.status.StatusFile;

/**
 * Health check, failover and backend state of one vxpool node. Deployed once per JVM.
 *
 * <p>Every node checks every backend and answers {@link Addresses#CLUSTER_VIEW_GET},
 * {@link Addresses#HEALTH_STATS} and {@link Addresses#BACKEND_ERROR} locally. Only the Active
 * node decides: it writes {@link Addresses#BACKENDS_MAP}, publishes each new view on
 * {@link Addresses#CLUSTER_VIEW} and serves the Active-only requests ({@code ATTACH},
 * {@code DETACH}, {@code PROMOTE}, {@code RECOVER}, {@code FAILOVER_VOTE}). A Standby node takes the newest view it
 * sees, from the map or a publish, and sends what its health checks find to the Active node as a
 * failover vote.
 */
public final class WatchdogVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(WatchdogVerticle.class);
    /** Failure code of a refused request; the failure message is the reason. */
    public static final int REFUSED = 1;
    private static final Duration MIN_VOTE_WINDOW = Duration.ofSeconds(10);
    /** Marks a lag report this node passed on to its local consumers. */
    private static final String RELAYED = "vxpool-relayed";
    /**
     * How often a Standby node re-reads the clustered map. The Active's publish is the fast path,
     * but a node whose subscription had not reached the cluster yet (it just joined), or whose
     * start-up read met a migrating partition, would otherwise keep its stale view until the next
     * change, which may never come in a quiet cluster.
     */
    static final long FOLLOWER_REFRESH_MS = 5000;

    private final WatchdogSettings settings;
    /** settings.failover() until a reload replaces it. */
    private FailoverSettings failover;
    private final boolean discardStatus;
    private final LeadershipProvider leadershipProvider;

    private Leadership leadership;
    private ClusterState state;
    private FailoverCoordinator coordinator;
    private OnlineRecovery recovery;
    private final List<HealthChecker> checkers = new ArrayList<>();
    private LagMonitor lagMonitor;
    /** What the lag monitor runs with; null without a PoolConfig. */
    private LagSettings lagSettings;
    private final List<MessageConsumer<JsonObject>> activeConsumers = new ArrayList<>();
    private boolean actingActive;
    /** The Standby refresh of the view from the clustered map: its timer, and whether a read is out. */
    private long refreshTimer = -1;
    /** {@link #FOLLOWER_REFRESH_MS} but in tests, which cannot wait for several rounds of it. */
    private long followerRefreshMs = FOLLOWER_REFRESH_MS;
    private boolean refreshing;
    /** When this Standby node last relayed a lag report it heard published; see {@link #refreshLagFromMap}. */
    private long lagHeardNanos;
    private boolean lagHeard;
    /** The stamp of the last lag report taken from the clustered map. */
    private long lagMapAt;
    private Future<Void> activation;

    private final PoolConfig config;
    /** The status of each node in the last view taken, to see which ones just went down. */
    private final java.util.Map<Integer, NodeStatus> probedStatus = new java.util.HashMap<>();
    /** The sr_check_* settings at start; null when built from hand-made settings. */
    private final LagSettings initialLag;
    private final Leadership fixedLeadership;

    /**
     * What the launcher deploys, from the launcher's thread. With {@code use_watchdog = on} the
     * election is {@link ClusterLeadership}, which needs Vert.x started clustered on Hazelcast.
     *
     * @param discardStatus {@code -D}: forget {@code pgpool_status}
     */
    public WatchdogVerticle(PoolConfig config, boolean discardStatus) {
        this(config, discardStatus, WatchdogVerticle::clusterElection);
    }

    /** Resolving the members' host names blocks: the settings are built on a worker. */
    private static Future<Leadership> clusterElection(Vertx vertx, PoolConfig config) {
        return vertx.executeBlocking(() -> LeadershipSettings.from(config), false)
                .map(settings -> new ClusterLeadership(vertx, settings));
    }

    /** @param leadershipProvider the clustered election for {@code use_watchdog = on}; null: none available */
    public WatchdogVerticle(PoolConfig config, boolean discardStatus, LeadershipProvider leadershipProvider) {
        this(WatchdogSettings.from(config), config, discardStatus, leadershipProvider, null);
    }

    /** Settings built by hand; standalone. */
    public WatchdogVerticle(WatchdogSettings settings, boolean discardStatus) {
        this(settings, null, discardStatus, null, null);
    }

    /** Settings built by hand, with a given leadership whatever {@code use_watchdog} says. */
    public WatchdogVerticle(WatchdogSettings settings, boolean discardStatus, Leadership leadership) {
        this(settings, null, discardStatus, null, leadership);
    }

    /**
     * Tests only, before deployment: a Standby re-reads the clustered map every {@code ms} instead
     * of {@link #FOLLOWER_REFRESH_MS}, so that a test sees several rounds in a few seconds.
     */
    WatchdogVerticle followerRefreshEvery(long ms) {
        this.followerRefreshMs = ms;
        return this;
    }

    private WatchdogVerticle(WatchdogSettings settings, PoolConfig config, boolean discardStatus,
                             LeadershipProvider leadershipProvider, Leadership fixedLeadership) {
        this.settings = settings;
        this.failover = settings.failover();
        this.config = config;
        // sr_check_password may need the AES key file: read here, on the deploying thread
        this.initialLag = config == null ? null : LagSettings.from(config);
        this.discardStatus = discardStatus;
        this.leadershipProvider = leadershipProvider;
        this.fixedLeadership = fixedLeadership;
    }

    @Override
    public Future<?> start() {
        StatusFile statusFile = new StatusFile(settings.statusFile());
        return vertx.executeBlocking(() -> {
            if (discardStatus) {
                statusFile.discard();
                return Optional.<List<NodeStatus>>empty();
            }
            return statusFile.read();
        }).compose(saved -> createLeadership().compose(created -> {
            leadership = created;
            state = new ClusterState(vertx, statusFile, leadership, initialView(saved));
            PrimarySearch search = new PrimarySearch(vertx, settings.backends(), settings.health());
            coordinator = new FailoverCoordinator(vertx, settings.backends(), settings.failover(), state, search,
                    failoverVotes(), new FailoverCoordinator.Consensus() {
                        @Override
                        public int votesRequired() {
                            return leadership.failoverVotesRequired();
                        }

                        @Override
                        public boolean hasQuorum() {
                            return leadership.hasQuorum();
                        }
                    });
            recovery = new OnlineRecovery(vertx, settings.backends(), settings.recovery(), state::view, search,
                    coordinator::failback);
            registerLocalConsumers();
            leadership.onChange(l -> leadershipChanged());
            return leadership.start();
        })).compose(v -> leadership.isActive() ? becomeActive() : followActive())
                .onSuccess(v -> {
                    startCheckers();
                    if (settings.useWatchdog() || fixedLeadership != null) {
                        refreshTimer = vertx.setPeriodic(followerRefreshMs, id -> refreshFromMap());
                    }
                });
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(refreshTimer);
        checkers.forEach(HealthChecker::stop);
        if (lagMonitor != null) {
            lagMonitor.stop();
        }
        return leadership == null ? Future.succeededFuture() : leadership.stop();
    }

    /**
     * failover_require_consensus only means something with the watchdog. A vote counts for three
     * health-check periods (at least ten seconds): long enough for every member to have checked.
     */
    private FailoverVotes failoverVotes() {
        if (!settings.useWatchdog()) {
            return null;
        }
        Duration longest = settings.health().stream().map(HealthSettings::period).max(Duration::compareTo)
                .orElse(Duration.ZERO);
        Duration window = longest.multipliedBy(3).compareTo(MIN_VOTE_WINDOW) < 0 ? MIN_VOTE_WINDOW : longest.multipliedBy(3);
        return new FailoverVotes(FailoverVotes.Rules.from(config, window));
    }

    private Future<Leadership> createLeadership() {
        if (fixedLeadership != null) {
            return Future.succeededFuture(fixedLeadership);
        }
        if (!settings.useWatchdog()) {
            return Future.succeededFuture(new StandaloneLeadership());
        }
        if (leadershipProvider == null) {
            LOG.error("use_watchdog = on but no clustered election was given; "
                    + "running STANDALONE: this node acts as Active on its own and may disagree with other nodes");
            return Future.succeededFuture(new StandaloneLeadership());
        }
        return leadershipProvider.create(vertx, config);
    }

    /** From the configuration and the status file: a node it says is down stays down. */
    private ClusterView initialView(Optional<List<NodeStatus>> saved) {
        long now = System.currentTimeMillis();
        List<BackendNode> nodes = new ArrayList<>();
        for (BackendConfig b : settings.backends()) {
            NodeStatus status = saved.filter(s -> s.size() > b.id()).map(s -> s.get(b.id())).orElse(NodeStatus.UP);
            if (status == NodeStatus.UP) {
                status = NodeStatus.WAITING;
            } else if (status == NodeStatus.DOWN) {
                LOG.info("node {} {} is down in the status file: it stays detached unless the Active node says otherwise "
                        + "(start with -D to forget)",
                        b.id(), b.host() + "(" + b.port() + ")");
            }
            nodes.add(new BackendNode(b.id(), b.host(), b.port(), b.weight(), status, NodeRole.UNKNOWN, now));
        }
        return new ClusterView(0, nodes);
    }

    // ---- leadership -------------------------------------------------------------------------

    private void leadershipChanged() {
        if (leadership.isActive() && !actingActive) {
            becomeActive();
        } else if (!leadership.isActive() && actingActive) {
            LOG.warn("this node is no longer Active: it stops deciding backend state");
            actingActive = false;
            activeConsumers.forEach(MessageConsumer::unregister);
            activeConsumers.clear();
        }
    }

    /**
     * The map holds what the previous Active node decided; it wins over our status file when it is
     * newer. Then one quick primary search so that proxies can route at once; if it finds no
     * primary, a full search (search_primary_node_timeout) continues in the background.
     */
    private Future<Void> becomeActive() {
        if (actingActive) {
            // The election may report the role both through onChange and as its first decision.
            return activation;
        }
        actingActive = true;
        activation = state.readMap().compose(fromMap -> {
            fromMap.ifPresent(state::adopt);
            registerActiveConsumers();
            return coordinator.searchPrimaryOnce();
        }).map(r -> {
            if (state.view().primary().isEmpty()) {
                coordinator.searchPrimaryInBackground();
            }
            LOG.info("watchdog: acting as Active for backend state, epoch {}", state.view().epoch());
            return (Void) null;
        });
        return activation;
    }

    /** Standby node: the map's view when it is newer than ours (see {@link #FOLLOWER_REFRESH_MS}). */
    private void refreshFromMap() {
        if (actingActive || refreshing) {
            return;
        }
        refreshLagFromMap();
        refreshing = true;
        state.readMap().onComplete(ar -> {
            refreshing = false;
            if (ar.succeeded() && !actingActive) {
                ar.result().filter(state::adopt).ifPresent(v -> LOG.info(
                        "watchdog: Standby; took the Active node's backend state (epoch {}) from the clustered map", v.epoch()));
            }
        });
    }

    private void relayLag(JsonObject lag) {
        vertx.eventBus().publish(Addresses.REPLICATION_LAG, lag,
                new DeliveryOptions().setLocalOnly(true).addHeader(RELAYED, "1"));
    }

    /**
     * Standby node: the Active's newest lag report from the clustered map, when none was heard
     * published lately. Without it, a node whose clustered subscription the Active's publish
     * did not reach routed its reads without lag figures (delay_threshold unenforced, empty
     * replication columns in SHOW pool_nodes) for as long as that lasted.
     */
    private void refreshLagFromMap() {
        if (!vertx.isClustered() || lagHeard && System.nanoTime() - lagHeardNanos < 2 * followerRefreshMs * 1_000_000L) {
            return;
        }
        vertx.sharedData().<String, JsonObject>getAsyncMap(Addresses.REPLICATION_LAG_MAP)
                .compose(map -> map.get(LagMonitor.LATEST))
                .onComplete(ar -> {
                    JsonObject entry = ar.succeeded() ? ar.result() : null;
                    if (entry == null || actingActive) {
                        return;
                    }
                    long at = entry.getLong("at", 0L);
                    JsonObject lag = entry.getJsonObject("lag");
                    if (lag != null && at > lagMapAt) {
                        lagMapAt = at;
                        relayLag(lag);
                    }
                });
    }

    private Future<Void> followActive() {
        return state.readMap().map(fromMap -> {
            fromMap.filter(state::adopt).ifPresent(v -> LOG.info(
                    "watchdog: Standby; took the Active node's backend state (epoch {}) over the status file", v.epoch()));
            return null;
        });
    }

    // ---- event bus ----------------------------------------------------------------------------

    private void registerLocalConsumers() {
        vertx.eventBus().<JsonObject>localConsumer(Addresses.CLUSTER_VIEW_GET, msg -> msg.reply(state.view().toJson()));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.HEALTH_STATS, msg -> msg.reply(healthStats()));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.BACKEND_ERROR, msg -> backendError(msg.body()));
        recovery.registerLocal(vertx.eventBus());
        if (config != null) {
            ConfigReload.consumer(vertx, this::reloaded);
        }
        // A clustered registration makes the Active node's lag publish reach this JVM, but Vert.x
        // hands a message from another node only to clustered handlers: the proxies' and the
        // admin's local consumers get it when it is published again here, locally. The header
        // keeps this consumer from relaying its own relay; the Active's own publish is local.
        vertx.eventBus().<JsonObject>consumer(Addresses.REPLICATION_LAG, msg -> {
            if (!actingActive && msg.headers().get(RELAYED) == null) {
                lagHeard = true;
                lagHeardNanos = System.nanoTime();
                relayLag(msg.body());
            }
        });
        vertx.eventBus().<JsonObject>consumer(Addresses.CLUSTER_VIEW, msg -> {
            if (!actingActive) {
                state.adopt(ClusterView.fromJson(msg.body()));
            }
        });
        // every view this node takes, committed here or adopted, is published locally
        vertx.eventBus().<JsonObject>localConsumer(Addresses.CLUSTER_VIEW, msg -> probeNewlyDown(ClusterView.fromJson(msg.body())));
    }

    /**
     * A node the view has just marked down, maybe on another vxpool node's checks, gets one check
     * of this node's own: periodic checks skip down nodes, so SHOW pool_nodes' pg_status and
     * pg_role here would otherwise keep this node's last check from before the failure, and the
     * vxpool nodes would disagree about a dead server.
     */
    private void probeNewlyDown(ClusterView view) {
        for (BackendNode n : view.nodes()) {
            NodeStatus before = probedStatus.put(n.id(), n.status());
            if (n.status() == NodeStatus.DOWN && before != null && before != NodeStatus.DOWN && n.id() < checkers.size()) {
                checkers.get(n.id()).probeOnce();
            }
        }
    }

    private void registerActiveConsumers() {
        activeConsumers.add(activeConsumer(Addresses.ATTACH, (id, body) ->
                coordinator.attach(id, body.getString("reason", "operator attach"))));
        GracefulRequests graceful = new GracefulRequests(vertx, coordinator);
        activeConsumers.add(activeConsumer(Addresses.DETACH, (id, body) -> body.getBoolean("gracefully", false)
                ? graceful.detach(id, body.getString("reason", "operator detach"), settings.recovery().timeout())
                : coordinator.detach(id, body.getString("reason", "operator detach"))));
        activeConsumers.add(activeConsumer(Addresses.PROMOTE, (id, body) -> body.getBoolean("gracefully", false)
                ? graceful.promote(id, body.getBoolean("switchover", false), settings.recovery().timeout())
                : coordinator.promote(id, body.getBoolean("switchover", false))));
        activeConsumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.SET_WEIGHTS, msg -> {
            Object raw = msg.body() == null ? null : msg.body().getValue("weights");
            if (!(raw instanceof JsonArray weights) || weights.size() != settings.backends().size()
                    || !weights.stream().allMatch(w -> w instanceof Number n && n.doubleValue() >= 0)) {
                msg.fail(REFUSED, "expected " + settings.backends().size() + " weights >= 0, got " + raw);
                return;
            }
            List<Double> list = new ArrayList<>();
            weights.forEach(w -> list.add(((Number) w).doubleValue()));
            applyWeights(list).onSuccess(msg::reply).onFailure(e -> msg.fail(REFUSED, e.getMessage()));
        }));
        activeConsumers.add(activeConsumer(Addresses.RECOVER, (id, body) -> recovery.recover(id, body.getBoolean("wait", true))));
        // A voter only needs to know its report arrived; the failover may take longer than its request timeout.
        activeConsumers.add(activeConsumer(Addresses.FAILOVER_VOTE, (id, body) -> {
            String reason = "failover request from " + body.getString("from", "another member") + ": "
                    + body.getString("reason", "no reason given");
            coordinator.vote(id, body.getString("from", "another member"), reason)
                    .onFailure(e -> LOG.error("failover of node {} not done: {}", id, e.getMessage()));
            return Future.succeededFuture(new JsonObject().put("ok", true).put("message", "failover request accepted"));
        }));
    }

    private interface NodeRequest {
        Future<JsonObject> handle(int nodeId, JsonObject body);
    }

    private MessageConsumer<JsonObject> activeConsumer(String address, NodeRequest handler) {
        return vertx.eventBus().consumer(address, msg -> {
            Integer id = nodeId(msg);
            if (id == null) {
                return;
            }
            handler.handle(id, msg.body()).onSuccess(msg::reply).onFailure(e -> msg.fail(REFUSED,
                    e instanceof FailoverException ? e.getMessage() : "failed: " + e.getMessage()));
        });
    }

    /** The request's node id, or null after failing the message with the reason. */
    private Integer nodeId(Message<JsonObject> msg) {
        Object raw = msg.body() == null ? null : msg.body().getValue("node");
        if (!(raw instanceof Number n) || n.intValue() < 0 || n.intValue() >= settings.backends().size()) {
            msg.fail(REFUSED, "no such backend node: " + raw + " (nodes are 0.." + (settings.backends().size() - 1) + ")");
            return null;
        }
        return n.intValue();
    }

    private void backendError(JsonObject body) {
        Object raw = body == null ? null : body.getValue("node");
        if (!(raw instanceof Number n) || n.intValue() < 0 || n.intValue() >= checkers.size()) {
            LOG.warn("ignoring backend error report for unknown node: {}", body);
            return;
        }
        String sqlstate = body.getString("sqlstate", "");
        boolean shutdown = "57P01".equals(sqlstate) || "57P02".equals(sqlstate);
        boolean wanted = failover.failoverOnBackendError()
                || (shutdown && failover.failoverOnBackendShutdown());
        if (wanted) {
            String cause = body.getString("reason", "backend error") + (sqlstate.isEmpty() ? "" : " " + sqlstate);
            checkers.get(n.intValue()).checkNow(cause);
        }
    }

    private JsonObject healthStats() {
        JsonArray rows = new JsonArray();
        JsonObject backends = new JsonObject();
        for (int i = 0; i < checkers.size(); i++) {
            HealthStats stats = checkers.get(i).stats();
            BackendNode node = state.view().node(i);
            rows.add(new JsonArray(stats.row(node)));
            backends.put(Integer.toString(i), new JsonObject().put("pg_status", stats.pgStatus(node)).put("pg_role", stats.pgRole(node)));
        }
        // "backend": SHOW pool_nodes' pg_status and pg_role, the one source for the proxy and /nodes.
        return new JsonObject().put("columns", new JsonArray(HealthStats.COLUMNS)).put("rows", rows).put("backend", backends);
    }

    // ---- reload -------------------------------------------------------------------------------

    /**
     * POST /reload accepted {@code newer} (restart-only parameters unchanged): the failover and
     * recovery settings (commands, timeouts, switches) apply from the next step that reads them,
     * the health checks take their new periods, timeouts and retries, the lag monitor its sr_check_* settings, and
     * changed backend weights go into the view, which only the Active node writes.
     */
    private void reloaded(PoolConfig newer) {
        // the settings read pool_passwd and the AES key file: not on the event loop
        vertx.executeBlocking(() -> new Reloaded(WatchdogSettings.from(newer), LagSettings.from(newer)), false)
                .onSuccess(r -> reloaded(newer, r))
                .onFailure(e -> LOG.warn("reloaded health check settings not applied: {}", e.getMessage()));
    }

    private record Reloaded(WatchdogSettings watchdog, LagSettings lag) {
    }

    private void reloaded(PoolConfig newer, Reloaded reloaded) {
        WatchdogSettings next = reloaded.watchdog();
        failover = next.failover();
        coordinator.reconfigure(failover);
        recovery.reconfigure(next.recovery());
        LOG.info("reload: failover and recovery settings applied (failover_command {})",
                failover.failoverCommand().isEmpty() ? "not set" : "'" + failover.failoverCommand() + "'");
        for (int i = 0; i < checkers.size() && i < next.health().size(); i++) {
            checkers.get(i).reconfigure(next.health().get(i));
        }
        if (!reloaded.lag().equals(lagSettings)) {
            if (lagMonitor != null) {
                lagMonitor.stop();
                lagMonitor = null;
            }
            startLagMonitor(reloaded.lag());
        }
        List<Double> weights = newer.backends().stream().map(BackendConfig::weight).toList();
        List<Double> current = state.view().nodes().stream().map(BackendNode::weight).toList();
        if (weights.equals(current)) {
            return;
        }
        if (actingActive) {
            applyWeights(weights).onFailure(e -> LOG.warn("reloaded backend weights not applied: {}", e.getMessage()));
        } else {
            vertx.eventBus().request(Addresses.SET_WEIGHTS, new JsonObject().put("weights", new JsonArray(weights)),
                            new DeliveryOptions().setSendTimeout(30_000))
                    .onFailure(e -> LOG.warn("could not send the reloaded backend weights to the Active node: {}",
                            e.getMessage()));
        }
    }

    /** Active node: a new view with these weights; statuses and roles as they are. */
    private Future<JsonObject> applyWeights(List<Double> weights) {
        List<BackendNode> nodes = new ArrayList<>();
        for (BackendNode n : state.view().nodes()) {
            nodes.add(new BackendNode(n.id(), n.host(), n.port(), weights.get(n.id()), n.status(), n.role(),
                    n.lastStatusChange()));
        }
        return state.commit(nodes).map(v -> {
            LOG.info("backend weights reloaded: {} (epoch {})", weights, v.epoch());
            return new JsonObject().put("ok", true).put("epoch", v.epoch());
        });
    }

    // ---- health checks ------------------------------------------------------------------------

    /** sr_check_period: only the Active node measures, every node's proxies get the result. */
    private void startLagMonitor(LagSettings lag) {
        if (lag == null) {
            // Built from hand-made settings (tests): no sr_check_* parameters to read.
            return;
        }
        lagSettings = lag;
        if (lag.enabled()) {
            lagMonitor = new LagMonitor(vertx, lag, () -> actingActive, () -> state.view());
            lagMonitor.start();
        }
    }

    private void startCheckers() {
        HealthChecker.Listener listener = new HealthChecker.Listener() {
            @Override
            public void failed(int nodeId, String reason) {
                nodeFailed(nodeId, reason);
            }

            @Override
            public void healthy(int nodeId) {
                NodeStatus status = state.view().node(nodeId).status();
                if (actingActive && status == NodeStatus.DOWN) {
                    coordinator.downNodeHealthy(nodeId);
                } else if (actingActive && status == NodeStatus.QUARANTINE) {
                    coordinator.quarantinedNodeHealthy(nodeId, leadership.memberName());
                }
            }
        };
        for (BackendConfig b : settings.backends()) {
            HealthChecker checker = new HealthChecker(vertx, b, settings.health().get(b.id()),
                    () -> state.view().node(b.id()).status(), () -> failover.autoFailback(), listener);
            checkers.add(checker);
            checker.start();
        }
        startLagMonitor(initialLag);
    }

    private void nodeFailed(int nodeId, String reason) {
        if (actingActive) {
            coordinator.vote(nodeId, leadership.memberName(), reason)
                    .onFailure(e -> LOG.error("failover of node {} not done: {}", nodeId, e.getMessage()));
            return;
        }
        JsonObject vote = new JsonObject().put("node", nodeId).put("from", leadership.memberName()).put("reason", reason);
        vertx.eventBus().request(Addresses.FAILOVER_VOTE, vote, new DeliveryOptions().setSendTimeout(30_000))
                .onFailure(e -> LOG.warn("could not report node {} failure to the Active node: {}", nodeId, e.getMessage()));
    }
}
