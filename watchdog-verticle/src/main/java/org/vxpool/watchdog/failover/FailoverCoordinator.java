package org.vxpool.watchdog.failover;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.common.config.BackendConfig;
import org.vxpool.watchdog.health.PgProbe;
import org.vxpool.watchdog.status.ClusterState;

/**
 * The Active node's failover, failback, detach and promote logic, in pgpool's streaming-replication
 * semantics. Operations run one at a time in arrival order (a failover may take as long as
 * {@code search_primary_node_timeout}); each completes with a reply body or fails with a
 * {@link FailoverException} carrying the reason. Confined to the watchdog verticle's event loop.
 */
public final class FailoverCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverCoordinator.class);

    private final Vertx vertx;
    private final List<BackendConfig> backends;
    /** Replaced by a reload; an operation reads it as it goes. */
    private FailoverSettings settings;
    private final ClusterState state;
    private final PrimarySearch search;
    private final ScriptRunner scripts;
    /** Nodes an operator detached: auto_failback leaves them alone, as pgpool does. */
    private final Set<Integer> operatorDetached = new HashSet<>();
    private final Map<Integer, Long> lastAutoFailback = new HashMap<>();
    private Future<?> tail = Future.succeededFuture();
    /**
     * follow_primary_command runs after its failover has completed and outside {@link #tail}, as
     * pgpool runs it in a child forked once the failover is done: a follow script that re-attaches
     * its node (pgpool's sample calls pcp_attach_node) would otherwise wait on its own failover.
     */
    private Future<?> followTail = Future.succeededFuture();
    /** failover_require_consensus with the watchdog; null: every failure fails over at once. */
    private final FailoverVotes votes;
    private final Consensus consensus;

    /** What the tally needs to know about the watchdog cluster at vote time. */
    public interface Consensus {
        int votesRequired();

        boolean hasQuorum();
    }

    public FailoverCoordinator(Vertx vertx, List<BackendConfig> backends, FailoverSettings settings,
                               ClusterState state, PrimarySearch search) {
        this(vertx, backends, settings, state, search, null, null);
    }

    /** @param votes the consensus tally ({@code use_watchdog = on}); null: no consensus */
    public FailoverCoordinator(Vertx vertx, List<BackendConfig> backends, FailoverSettings settings,
                               ClusterState state, PrimarySearch search, FailoverVotes votes, Consensus consensus) {
        this.votes = votes;
        this.consensus = consensus;
        this.vertx = vertx;
        this.backends = backends;
        this.settings = settings;
        this.state = state;
        this.search = search;
        this.scripts = new ScriptRunner(vertx, settings.commandTimeout());
    }

    /**
     * POST /reload: failover_command, follow_primary_command, failback_command,
     * search_primary_node_timeout, auto_failback_interval and the other switches apply from the
     * next step that reads them, as pgpool's reload does.
     */
    public void reconfigure(FailoverSettings newer) {
        this.settings = newer;
    }

    /** A node failed its health check, a proxy's error was confirmed, or a member voted. */
    public Future<JsonObject> nodeFailed(int id, String reason) {
        return serial(() -> failover(id, reason, null));
    }

    /**
     * A watchdog member ({@code voter}; this node's own health checker included) saw node {@code id}
     * fail. With consensus, the node fails over only once enough members agree and is quarantined
     * until then: not routed to, but no failover_command and no {@code down} in the status file.
     */
    public Future<JsonObject> vote(int id, String voter, String reason) {
        if (votes == null) {
            return nodeFailed(id, reason);
        }
        return serial(() -> {
            NodeStatus status = state.view().node(id).status();
            if (status == NodeStatus.DOWN || status == NodeStatus.UNUSED) {
                return Future.succeededFuture(ok("node " + id + " is already " + status.pgpoolName()));
            }
            FailoverVotes.Decision decision = votes.vote(id, voter, System.currentTimeMillis(),
                    consensus.votesRequired(), consensus.hasQuorum());
            if (decision == FailoverVotes.Decision.FAILOVER) {
                return failover(id, reason + " (consensus reached)", null);
            }
            return quarantine(id, voter, reason);
        });
    }

    /**
     * pgpool: a quarantined node that answers its health check again is attached back; here once
     * no other member's vote against it is still live, so one member's lasting view does not make
     * the node flap.
     */
    public void quarantinedNodeHealthy(int id, String self) {
        if (votes == null) {
            return;
        }
        serial(() -> {
            BackendNode node = state.view().node(id);
            votes.withdraw(id, self);
            if (node.status() != NodeStatus.QUARANTINE || node.role() == NodeRole.UNKNOWN
                    || votes.count(id, System.currentTimeMillis()) > 0) {
                // false primaries are quarantined with an unknown role: detach_false_primary owns them
                return Future.succeededFuture(ok("node " + id + " not restored"));
            }
            LOG.info("quarantine: node {} {} is healthy again, back to up", id, node.hostPort());
            List<BackendNode> nodes = new ArrayList<>(state.view().nodes());
            nodes.set(id, node.withStatus(NodeStatus.UP, System.currentTimeMillis()));
            return state.commit(nodes).map(v -> ok("node " + id + " restored from quarantine"));
        });
    }

    private Future<JsonObject> quarantine(int id, String voter, String reason) {
        BackendNode node = state.view().node(id);
        int count = votes.count(id, System.currentTimeMillis());
        int needed = consensus.votesRequired();
        LOG.warn("failover of node {} {} needs consensus: {} of {} votes (last from {}: {}){}; node quarantined",
                id, node.hostPort(), count, needed, voter, reason, consensus.hasQuorum() ? "" : ", quorum absent");
        if (node.status() == NodeStatus.QUARANTINE) {
            return Future.succeededFuture(ok("node " + id + " stays quarantined"));
        }
        List<BackendNode> nodes = new ArrayList<>(state.view().nodes());
        nodes.set(id, node.withStatus(NodeStatus.QUARANTINE, System.currentTimeMillis()));
        return state.commit(nodes).map(v -> ok("node " + id + " quarantined"));
    }

    /**
     * pcp_detach_node. An operator command asking for the state a node is already in is refused,
     * for detach, attach and promote alike (pgpool refuses the detach and the promote; docs/ADMIN.md).
     */
    public Future<JsonObject> detach(int id, String reason) {
        return serial(() -> detachRefusal(id).<Future<JsonObject>>map(Future::failedFuture)
                .orElseGet(() -> failover(id, reason, null).onSuccess(r -> operatorDetached.add(id))));
    }

    /**
     * Fails with the reason a detach of {@code id} would be refused now, as pgpool's graceful
     * pcp_detach_node checks before it waits for the clients to leave.
     */
    public Future<Void> checkDetach(int id) {
        return serial(() -> detachRefusal(id).<Future<Void>>map(Future::failedFuture).orElseGet(Future::succeededFuture));
    }

    private Optional<FailoverException> detachRefusal(int id) {
        NodeStatus status = state.view().node(id).status();
        if (status == NodeStatus.DOWN || status == NodeStatus.UNUSED) {
            return Optional.of(new FailoverException("node " + id + " is already " + status.pgpoolName()));
        }
        if (!backends.get(id).allowToFailover()) {
            return Optional.of(new FailoverException("node " + id + " has DISALLOW_TO_FAILOVER"));
        }
        return Optional.empty();
    }

    /** pcp_attach_node. */
    public Future<JsonObject> attach(int id, String reason) {
        return serial(() -> state.view().node(id).status() == NodeStatus.UP
                ? Future.failedFuture(new FailoverException("node " + id + " is already up"))
                : doAttach(id, reason));
    }

    /**
     * Online recovery's last stage: like attach, but a node that came up meanwhile (auto_failback
     * saw it streaming first) is the wanted outcome, not a refusal.
     */
    public Future<JsonObject> failback(int id, String reason) {
        return serial(() -> doAttach(id, reason));
    }

    /**
     * pcp_promote_node. With {@code switchover}, the old primary is detached and {@code id} promoted
     * (failover_command or the built-in promotion); without, {@code id} only becomes the primary in
     * the view, for an operator who promoted it by hand.
     */
    public Future<JsonObject> promote(int id, boolean switchover) {
        return serial(() -> doPromote(id, switchover));
    }

    /** Fails with the reason a promote of {@code id} would be refused now (pcp_promote_node -g checks first). */
    public Future<Void> checkPromote(int id, boolean switchover) {
        return serial(() -> promoteRefusal(id, switchover).<Future<Void>>map(Future::failedFuture)
                .orElseGet(Future::succeededFuture));
    }

    /** Start and leadership change: one round of the primary search, then settle roles. */
    public Future<JsonObject> searchPrimaryOnce() {
        return serial(() -> search.findOnce(liveIds(state.view()))
                .compose(r -> applySearch(r, "find_primary_node: primary node is "))
                .map(v -> ok("primary search done")));
    }

    /**
     * No primary at start: keep looking for up to search_primary_node_timeout without holding up
     * operator requests and failovers meanwhile; the result is applied only if nothing else found
     * a primary first.
     */
    public Future<JsonObject> searchPrimaryInBackground() {
        return search.find(liveIds(state.view()), settings.effectiveSearchTimeout())
                .compose(r -> serial(() -> state.view().primary().isPresent()
                        ? Future.succeededFuture(ok("a primary was found meanwhile"))
                        : applySearch(r, "find_primary_node: primary node is ").map(v -> ok("primary search done"))));
    }

    /** auto_failback: a down node answered its health check. */
    public void downNodeHealthy(int id) {
        if (!settings.autoFailback() || operatorDetached.contains(id)
                || state.view().node(id).status() != NodeStatus.DOWN) {
            return;
        }
        long now = System.currentTimeMillis();
        Long last = lastAutoFailback.get(id);
        if (last != null && now - last < settings.autoFailbackInterval().toMillis()) {
            return;
        }
        lastAutoFailback.put(id, now);
        serial(() -> autoFailback(id)).onFailure(e -> LOG.info("auto_failback of node {} not done: {}", id, e.getMessage()));
    }

    private <T> Future<T> serial(Supplier<Future<T>> op) {
        Promise<T> promise = Promise.promise();
        tail = tail.transform(ignored -> {
            Future<T> f;
            try {
                f = op.get();
            } catch (RuntimeException e) {
                f = Future.failedFuture(e);
            }
            f.onComplete(promise);
            return f.transform(x -> Future.succeededFuture());
        });
        return promise.future();
    }

    // ---- failover -------------------------------------------------------------------------

    /** @param forcedNewMain the node to promote (switchover), or null to choose like pgpool */
    private Future<JsonObject> failover(int id, String reason, Integer forcedNewMain) {
        ClusterView before = state.view();
        BackendNode failed = before.node(id);
        if (failed.status() == NodeStatus.DOWN) {
            return Future.succeededFuture(ok("node " + id + " is already down"));
        }
        if (!backends.get(id).allowToFailover()) {
            LOG.warn("failover of node {} {} refused: backend_flag{} = DISALLOW_TO_FAILOVER (reason was: {})",
                    id, failed.hostPort(), id, reason);
            return Future.failedFuture(new FailoverException("node " + id + " has DISALLOW_TO_FAILOVER"));
        }
        Integer oldPrimary = before.nodes().stream()
                .filter(n -> n.isPrimary() && (n.routable() || n.status() == NodeStatus.QUARANTINE))
                .map(BackendNode::id).findFirst().orElse(null);
        Integer oldMain = mainNode(before);
        boolean primaryFailed = oldPrimary != null && oldPrimary == id;
        LOG.warn("failover: starting degeneration of node {} {}, reason: {}", id, failed.hostPort(), reason);
        long now = System.currentTimeMillis();
        List<BackendNode> nodes = new ArrayList<>(before.nodes());
        nodes.set(id, failed.withStatus(NodeStatus.DOWN, now).withRole(detachedRole(failed), now));
        return state.commit(nodes).compose(afterDown -> {
            Integer newMain = forcedNewMain != null ? forcedNewMain
                    : primaryFailed ? firstLiveStandby(afterDown) : mainNode(afterDown);
            LOG.info("failover: set new main node: {}", newMain == null ? -1 : newMain);
            Placeholders values = new Placeholders(backends.get(id), spec(newMain), spec(oldMain), spec(oldPrimary));
            Future<Void> caughtUp = forcedNewMain != null && primaryFailed
                    ? SwitchoverCatchUp.await(vertx, search, id, forcedNewMain, settings.effectiveSearchTimeout())
                            .recover(e -> abandonSwitchover(failed, forcedNewMain, e))
                    : Future.succeededFuture();
            return caughtUp.compose(v -> promoteStep(values, primaryFailed, newMain))
                    .compose(v -> primaryFailed ? newPrimary() : primaryKept(oldPrimary))
                    .map(view -> {
                        LOG.info("failover done. shutdown host {}", failed.hostPort());
                        if (view != null) {
                            // a switched-over primary still runs: it must follow the new one too
                            followPrimary(view, values, forcedNewMain != null ? id : null);
                        }
                        return ok("node " + id + " detached");
                    });
        });
    }

    /** The switchover's target never caught up: the old primary, which still runs, is primary again. */
    private Future<Void> abandonSwitchover(BackendNode oldPrimary, int target, Throwable why) {
        String reason = "switchover to node " + target + " abandoned, node " + oldPrimary.id() + " stays primary: "
                + why.getMessage();
        LOG.error("failover: {}", reason);
        long now = System.currentTimeMillis();
        List<BackendNode> nodes = new ArrayList<>(state.view().nodes());
        nodes.set(oldPrimary.id(), oldPrimary.withStatus(NodeStatus.UP, now).withRole(NodeRole.PRIMARY, now));
        return state.commit(nodes).transform(x -> Future.failedFuture(new FailoverException(reason)));
    }

    /** A standby failed: the primary is untouched; say so in pgpool's words. */
    private Future<ClusterView> primaryKept(Integer primary) {
        LOG.info("failover: set new primary node: {}", primary == null ? -1 : primary);
        return Future.succeededFuture();
    }

    /** failover_command when set; otherwise, for a failed primary, the built-in promotion. */
    private Future<Void> promoteStep(Placeholders values, boolean primaryFailed, Integer newMain) {
        if (!settings.failoverCommand().isEmpty()) {
            return scripts.run("failover_command", values.expand(settings.failoverCommand())).mapEmpty();
        }
        if (primaryFailed && settings.builtinPromote() && newMain != null) {
            return builtinPromote(newMain).otherwise(e -> {
                LOG.error("failover: promotion of node {} failed: {}", newMain, e.getMessage());
                return null;
            });
        }
        if (primaryFailed) {
            LOG.warn("failover: the primary failed and neither failover_command nor builtin_promote is set; "
                    + "waiting for a primary to appear");
        }
        return Future.succeededFuture();
    }

    private Future<Void> builtinPromote(int id) {
        long waitSeconds = Math.max(1, settings.effectiveSearchTimeout().toSeconds());
        LOG.info("failover: promoting node {} {} with pg_promote()", id, state.view().node(id).hostPort());
        return PgProbe.query(vertx, search.target(id), Duration.ofSeconds(waitSeconds + 5),
                        "SELECT pg_promote(true, " + waitSeconds + ")")
                .compose(rows -> Boolean.TRUE.equals(rows.get(0).getBoolean(0))
                        ? Future.<Void>succeededFuture()
                        : Future.failedFuture(new FailoverException("pg_promote() returned false")));
    }

    /** After the primary failed: search and settle roles. */
    private Future<ClusterView> newPrimary() {
        return search.find(liveIds(state.view()), settings.effectiveSearchTimeout())
                .compose(r -> applySearch(r, "failover: set new primary node: "));
    }

    /**
     * Queues follow_primary_command for every live node other than the new primary, in id order,
     * plus {@code oldPrimary} (a switchover's old primary, detached but running), which pgpool's
     * follow scripts turn into a standby of the new one.
     */
    private void followPrimary(ClusterView view, Placeholders values, Integer oldPrimary) {
        Optional<BackendNode> primary = view.primary();
        if (settings.followPrimaryCommand().isEmpty() || primary.isEmpty()) {
            return;
        }
        int newPrimary = primary.get().id();
        for (BackendNode n : view.nodes()) {
            if (n.id() != newPrimary && (n.routable() || Integer.valueOf(n.id()).equals(oldPrimary))) {
                String command = new Placeholders(backends.get(n.id()), backends.get(newPrimary),
                        values.oldMain(), values.oldPrimary()).expand(settings.followPrimaryCommand());
                followTail = followTail.transform(x -> scripts.run("follow_primary_command", command));
            }
        }
    }

    /** Writes a primary search's answer into the view: roles, and what to do with false primaries. */
    private Future<ClusterView> applySearch(PrimarySearch.Result result, String foundLog) {
        ClusterView view = state.view();
        long now = System.currentTimeMillis();
        List<BackendNode> nodes = new ArrayList<>(view.nodes());
        result.inRecovery().forEach((id, inRecovery) -> {
            BackendNode n = nodes.get(id);
            if (n.status() == NodeStatus.WAITING) {
                n = n.withStatus(NodeStatus.UP, now);
            }
            NodeRole role = result.primary().isPresent() && result.primary().getAsInt() == id ? NodeRole.PRIMARY
                    : inRecovery ? NodeRole.STANDBY : NodeRole.UNKNOWN;
            nodes.set(id, n.role() == role ? n : n.withRole(role, now));
        });
        if (result.primary().isPresent()) {
            int found = result.primary().getAsInt();
            // A former primary that did not answer must not stay a second primary in the view.
            for (int i = 0; i < nodes.size(); i++) {
                if (i != found && nodes.get(i).isPrimary()) {
                    nodes.set(i, nodes.get(i).withRole(NodeRole.UNKNOWN, now));
                }
            }
        }
        for (int impostor : result.falsePrimaries()) {
            nodes.set(impostor, nodes.get(impostor).withStatus(NodeStatus.QUARANTINE, now).withRole(NodeRole.UNKNOWN, now));
        }
        if (result.primary().isPresent()) {
            LOG.info("{}{}", foundLog, result.primary().getAsInt());
        } else {
            LOG.error("no primary node found among live nodes {}", liveIds(view));
        }
        return state.commit(nodes).onSuccess(v -> detachFalsePrimaries(result.falsePrimaries()));
    }

    private void detachFalsePrimaries(List<Integer> impostors) {
        if (!settings.detachFalsePrimary()) {
            return;
        }
        for (int id : impostors) {
            serial(() -> failover(id, "false primary (detach_false_primary = on)", null))
                    .onFailure(e -> LOG.error("cannot detach false primary {}: {}", id, e.getMessage()));
        }
    }

    // ---- attach, promote, auto_failback -----------------------------------------------------

    private Future<JsonObject> doAttach(int id, String reason) {
        BackendNode node = state.view().node(id);
        if (node.status() == NodeStatus.UP) {
            return Future.succeededFuture(ok("node " + id + " is already up"));
        }
        if (node.status() == NodeStatus.UNUSED) {
            return Future.failedFuture(new FailoverException("node " + id + " is unused"));
        }
        return PgProbe.query(vertx, search.target(id), search.timeout(id), "SELECT pg_is_in_recovery()")
                .recover(e -> Future.failedFuture(new FailoverException("node " + id + " does not answer: " + e.getMessage())))
                .compose(rows -> attachAs(id, rows.get(0).getBoolean(0), reason));
    }

    private Future<JsonObject> attachAs(int id, boolean inRecovery, String reason) {
        ClusterView view = state.view();
        Optional<BackendNode> primary = view.primary();
        if (!inRecovery && primary.isPresent() && primary.get().id() != id) {
            return Future.failedFuture(new FailoverException("node " + id + " is not in recovery while node "
                    + primary.get().id() + " is primary; attaching it would make two primaries"));
        }
        long now = System.currentTimeMillis();
        List<BackendNode> nodes = new ArrayList<>(view.nodes());
        nodes.set(id, view.node(id).withStatus(NodeStatus.UP, now)
                .withRole(inRecovery ? NodeRole.STANDBY : NodeRole.PRIMARY, now));
        LOG.info("failback: attaching node {} {}, reason: {}", id, view.node(id).hostPort(), reason);
        operatorDetached.remove(id);
        return state.commit(nodes).compose(after -> {
            Future<?> cmd = settings.failbackCommand().isEmpty() ? Future.succeededFuture()
                    : scripts.run("failback_command", new Placeholders(backends.get(id), spec(mainNode(after)),
                            spec(mainNode(view)), spec(primary.map(BackendNode::id).orElse(null)))
                            .expand(settings.failbackCommand()));
            return cmd.map(r -> {
                LOG.info("failback done. reconnect host {}", view.node(id).hostPort());
                return ok("node " + id + " attached");
            });
        });
    }

    private Optional<FailoverException> promoteRefusal(int id, boolean switchover) {
        ClusterView view = state.view();
        BackendNode node = view.node(id);
        if (!node.routable()) {
            return Optional.of(new FailoverException("node " + id + " is " + node.status().pgpoolName()
                    + ", only a live node can be promoted"));
        }
        if (node.isPrimary()) {
            return Optional.of(new FailoverException("node " + id + " is already primary"));
        }
        if (switchover && view.primary().isEmpty()) {
            return Optional.of(new FailoverException("there is no primary to switch over from"));
        }
        return Optional.empty();
    }

    private Future<JsonObject> doPromote(int id, boolean switchover) {
        Optional<FailoverException> refused = promoteRefusal(id, switchover);
        if (refused.isPresent()) {
            return Future.failedFuture(refused.get());
        }
        ClusterView view = state.view();
        BackendNode node = view.node(id);
        Optional<BackendNode> primary = view.primary();
        if (switchover) {
            return failover(primary.get().id(), "switchover to node " + id + " requested by operator", id)
                    .onSuccess(r -> operatorDetached.add(primary.get().id()))
                    .map(r -> ok("node " + id + " promoted, node " + primary.get().id() + " detached"));
        }
        long now = System.currentTimeMillis();
        List<BackendNode> nodes = new ArrayList<>(view.nodes());
        primary.ifPresent(p -> nodes.set(p.id(), p.withRole(NodeRole.STANDBY, now)));
        nodes.set(id, node.withRole(NodeRole.PRIMARY, now));
        LOG.info("failover: set new primary node: {}", id);
        return state.commit(nodes).map(v -> ok("node " + id + " is now the primary"));
    }

    private Future<JsonObject> autoFailback(int id) {
        ClusterView view = state.view();
        Optional<BackendNode> primary = view.primary();
        if (view.node(id).status() != NodeStatus.DOWN || primary.isEmpty()) {
            return Future.failedFuture(new FailoverException("node is not down or there is no primary"));
        }
        return streamsFrom(id, primary.get()).compose(streaming -> streaming
                ? doAttach(id, "auto_failback: node streams from primary " + primary.get().id())
                : Future.failedFuture(new FailoverException("node " + id + " does not stream from the primary")));
    }

    /**
     * With {@code backend_application_name} set, pgpool's test: the primary's pg_stat_replication
     * lists the node as streaming. Without it, the node's own wal receiver must stream from the
     * primary's port.
     */
    private Future<Boolean> streamsFrom(int id, BackendNode primary) {
        String app = backends.get(id).applicationName();
        if (!app.isEmpty()) {
            return PgProbe.query(vertx, search.target(primary.id()), search.timeout(primary.id()),
                    "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' AND application_name = '"
                            + app.replace("'", "''") + "'").map(rows -> rows.get(0).getLong(0) > 0);
        }
        return PgProbe.query(vertx, search.target(id), search.timeout(id),
                        "SELECT sender_port FROM pg_stat_wal_receiver WHERE status = 'streaming'")
                .map(rows -> rows.stream().anyMatch(r -> Integer.valueOf(primary.port()).equals(r.getInteger(0))));
    }

    // ---- helpers ---------------------------------------------------------------------------

    /**
     * pgpool keeps showing a detached node's role: a standby stays {@code standby}, and a failed
     * primary is shown as {@code standby} too, since pgpool calls only the current primary
     * {@code primary} (and a down node left as primary would make two in SHOW pool_nodes and in
     * vxpool_backend_primary). A role never learnt stays unknown.
     */
    static NodeRole detachedRole(BackendNode node) {
        return node.role() == NodeRole.UNKNOWN ? NodeRole.UNKNOWN : NodeRole.STANDBY;
    }

    /** pgpool's "main node": the live node with the lowest id. */
    static Integer mainNode(ClusterView view) {
        return view.nodes().stream().filter(BackendNode::routable).map(BackendNode::id).findFirst().orElse(null);
    }

    private static Integer firstLiveStandby(ClusterView view) {
        return view.nodes().stream().filter(n -> n.routable() && !n.isPrimary()).map(BackendNode::id)
                .findFirst().orElse(null);
    }

    private static List<Integer> liveIds(ClusterView view) {
        return view.nodes().stream().filter(BackendNode::routable).map(BackendNode::id).toList();
    }

    private BackendConfig spec(Integer id) {
        return id == null ? null : backends.get(id);
    }

    private static JsonObject ok(String message) {
        return new JsonObject().put("ok", true).put("message", message);
    }
}
