package org.vxpool.watchdog.election;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.Addresses;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.watchdog.Leadership;
import org.vxpool.watchdog.vip.LeftoverVip;
import org.vxpool.watchdog.vip.TrustedServers;
import org.vxpool.watchdog.vip.VipManager;

/**
 * {@link Leadership} decided by the watchdog {@link Election} over the Hazelcast cluster that
 * Vert.x runs on, with the delegate IP moved by {@link VipManager}.
 *
 * <p>Everything runs on the context that called {@link #start()}: Hazelcast listener callbacks
 * hop onto it, blocking Hazelcast calls and commands go to workers. The delegate-IP actions run in
 * one chain, in order, so a de-escalation never overtakes the escalation before it.
 */
public final class ClusterLeadership implements Leadership {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterLeadership.class);
    private static final long SHUTDOWN_PUBLISH_TIMEOUT_MS = 2000;
    /**
     * Extra wait before taking over from a leader that vanished without a goodbye. Measured in
     * NetnsElectionTest: the isolated leader drops the IP 0.7-2.0 s before the majority raises it,
     * of which 1 s is the ARP probe; Hazelcast checks heartbeats once a second on each side, so the
     * two sides' detection can differ by up to that much. A graceful handover does not wait.
     */
    private static final long LEADER_VANISHED_GRACE_MS = 500;
    /**
     * How long the probe listens after a graceful handover (the leader published SHUTDOWN after its
     * if_down_cmd). ARP replies on one link come back within a millisecond (0.5 ms measured in the
     * namespaces); the rest is room for a loaded host to start arping. iputils waits whole seconds,
     * which alone would break the 1.5 s handover goal.
     */
    private static final Duration RELEASED_PROBE_LISTEN = Duration.ofMillis(300);
    /**
     * Least time between two probes once one found the delegate IP answering elsewhere, whatever
     * wd_interval is (pgpool's default is 10 s). An answered arping returns within milliseconds, and
     * every member-list refresh asks for a new probe, so without this floor the retries would run
     * back to back. The holder may be a killed JVM's host whose address systemd's ExecStopPost or
     * a restart is about to remove.
     */
    private static final long BUSY_VIP_RETRY_MS = 1000;

    private final Vertx vertx;
    private final LeadershipSettings settings;
    private final MemberRegistry registry;
    private final Election election;
    private final VipManager vip;
    private final TrustedServers trusted;
    private final List<Consumer<Leadership>> listeners = new CopyOnWriteArrayList<>();
    private final Promise<Void> firstDecision = Promise.promise();
    private final long startTime = System.currentTimeMillis();

    private Context context;
    private Future<Void> vipChain = Future.succeededFuture();
    private int pendingDeEscalations;
    private boolean publishing;
    private boolean publishAgain;
    private volatile boolean active;
    private volatile long epoch;
    private volatile WatchdogState state = WatchdogState.LOADING;
    private boolean refreshing;
    private boolean refreshAgain;
    private boolean stopped;
    private boolean checkingTrusted;
    /** When the last probe found the delegate IP in use (System.nanoTime); 0 after a free one. */
    private long lastBusyProbe;
    private boolean retryScheduled;
    private long timerId = -1;
    private List<MemberInfo> others = List.of();
    private JsonObject lastInfo;
    private MessageConsumer<JsonObject> infoConsumer;

    /**
     * For a Vert.x instance started clustered on Hazelcast (the launcher's), settings from
     * pgpool.conf. {@link LeadershipSettings#from} may resolve a host name: where this runs on an
     * event loop, build the settings beforehand and use the other constructor.
     */
    public ClusterLeadership(Vertx vertx, PoolConfig config) {
        this(vertx, LeadershipSettings.from(config));
    }

    /** For a Vert.x instance started clustered on Hazelcast (the launcher's). */
    public ClusterLeadership(Vertx vertx, LeadershipSettings settings) {
        this(vertx, hazelcastOf(vertx), settings);
    }

    public ClusterLeadership(Vertx vertx, HazelcastInstance hazelcast, LeadershipSettings settings) {
        this.vertx = vertx;
        this.settings = settings;
        this.registry = new MemberRegistry(hazelcast);
        this.election = new Election(settings.election(startTime));
        this.vip = new VipManager(vertx, settings.vip());
        this.trusted = new TrustedServers(vertx, settings.trustedServers(), settings.trustedServerCommand(),
                settings.interval().plusSeconds(5));
    }

    private static HazelcastInstance hazelcastOf(Vertx vertx) {
        if (vertx instanceof VertxInternal internal
                && internal.clusterManager() instanceof HazelcastClusterManager manager) {
            return manager.getHazelcastInstance();
        }
        throw new IllegalStateException("the watchdog needs Vert.x started clustered on Hazelcast (use_watchdog = on)");
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public long epoch() {
        return epoch;
    }

    /** The election's state as last decided; safe from any thread. */
    public WatchdogState state() {
        return state;
    }

    @Override
    public int failoverVotesRequired() {
        return election.settings().requiredForQuorum();
    }

    @Override
    public String memberName() {
        return settings.self().name();
    }

    @Override
    public boolean hasQuorum() {
        return election.hasQuorum();
    }

    @Override
    public void onChange(Consumer<Leadership> listener) {
        listeners.add(listener);
    }

    @Override
    public Future<Void> start() {
        context = vertx.getOrCreateContext();
        context.runOnContext(v -> {
            infoConsumer = vertx.eventBus().localConsumer(Addresses.WATCHDOG_INFO_GET, msg -> msg.reply(info()));
            vertx.executeBlocking(() -> {
                // Before this node can stand: a copy left by an earlier run here (SIGKILL) answers
                // ARP, and neither this node nor any other would then ever escalate.
                LeftoverVip.release(settings.vip());
                registry.listen(() -> context.runOnContext(x -> refresh()));
                return null;
            }, false).onSuccess(x -> {
                apply(election.handle(new ElectionEvent.Started()));
                lifecheck();
                timerId = vertx.setPeriodic(settings.interval().toMillis(), id -> lifecheck());
                LOG.info("watchdog: lifecheck started");
            }).onFailure(firstDecision::tryFail);
        });
        return firstDecision.future();
    }

    @Override
    public Future<Void> stop() {
        if (context == null) {
            return Future.succeededFuture();
        }
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            stopped = true;
            vertx.cancelTimer(timerId);
            firstDecision.tryFail("watchdog stopped before its first decision");
            List<ElectionAction> actions = election.handle(new ElectionEvent.Shutdown());
            state = election.state();
            for (ElectionAction action : actions) {
                if (action instanceof ElectionAction.DeEscalate) {
                    enqueueVipAction(action);
                }
            }
            // SHUTDOWN is published only once the IP is down, so the standby's ARP probe finds it free.
            vipChain.transform(x -> publishOnce().timeout(SHUTDOWN_PUBLISH_TIMEOUT_MS, TimeUnit.MILLISECONDS))
                    .transform(x -> vertx.executeBlocking(() -> {
                        registry.unlisten();
                        return null;
                    }, false))
                    .eventually(() -> infoConsumer == null ? Future.succeededFuture() : infoConsumer.unregister())
                    .onComplete(ar -> done.complete());
        });
        return done.future();
    }

    /** Every wd_interval: trusted servers, own info again (repairs the map after a merge), members. */
    private void lifecheck() {
        if (stopped) {
            return;
        }
        if (trusted.configured() && !checkingTrusted) {
            // pgpool's default check (ping -c3) outlasts a short wd_interval: never stack them up.
            checkingTrusted = true;
            trusted.anyReachable().onComplete(ar -> {
                checkingTrusted = false;
                if (ar.succeeded() && !stopped) {
                    apply(election.handle(new ElectionEvent.TrustedServersChecked(ar.result())));
                }
            });
        }
        requestPublish();
        refresh();
    }

    /** Reads the members off the event loop; at most one read in flight, later requests coalesce. */
    private void refresh() {
        if (refreshing) {
            refreshAgain = true;
            return;
        }
        refreshing = true;
        vertx.executeBlocking(registry::others, false).onComplete(ar -> {
            refreshing = false;
            if (ar.succeeded() && !stopped) {
                others = ar.result();
                apply(election.handle(new ElectionEvent.MembersSeen(others)));
                publishInfoIfChanged();
            } else if (ar.failed()) {
                LOG.warn("watchdog: cannot read the member list: {}", ar.cause().toString());
            }
            if (refreshAgain) {
                refreshAgain = false;
                refresh();
            }
        });
    }

    /**
     * Carries out the election's actions. Publishing runs on its own so that a write stuck on an
     * unreachable partition owner never delays a de-escalation; the IP actions run in one chain, in
     * order. A publish that follows a de-escalation waits for it, so nobody sees this node leave
     * the leader role before its IP is down.
     */
    private void apply(List<ElectionAction> actions) {
        state = election.state();
        boolean deEscalating = false;
        for (ElectionAction action : actions) {
            if (action instanceof ElectionAction.Publish) {
                if (deEscalating) {
                    vipChain = vipChain.andThen(x -> requestPublish());
                } else {
                    requestPublish();
                }
            } else {
                deEscalating |= action instanceof ElectionAction.DeEscalate;
                enqueueVipAction(action);
            }
        }
        afterStep();
    }

    private void enqueueVipAction(ElectionAction action) {
        if (action instanceof ElectionAction.DeEscalate) {
            pendingDeEscalations++;
        }
        vipChain = vipChain.transform(ignored -> runVipAction(action));
    }

    private Future<Void> runVipAction(ElectionAction action) {
        if (action instanceof ElectionAction.ProbeVip probe) {
            ElectionAction.PreviousLeader previous = probe.previous();
            long wait = previous == ElectionAction.PreviousLeader.VANISHED ? LEADER_VANISHED_GRACE_MS : 0;
            if (lastBusyProbe != 0) {
                long sinceBusy = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastBusyProbe);
                wait = Math.max(wait, BUSY_VIP_RETRY_MS - sinceBusy);
            }
            return delay(wait).compose(x -> previous == ElectionAction.PreviousLeader.RELEASED
                    ? vip.probeFree(RELEASED_PROBE_LISTEN) : vip.probeFree()).<Void>map(free -> {
                lastBusyProbe = free ? 0 : System.nanoTime();
                if (!stopped) {
                    apply(election.handle(new ElectionEvent.VipProbed(free)));
                    if (!free) {
                        scheduleBusyRetry();
                    }
                }
                return null;
            }).recover(this::logFailure);
        }
        if (action instanceof ElectionAction.Escalate) {
            // Publish again afterwards so the others see who holds the IP.
            return vip.escalate().<Void>mapEmpty().recover(this::logFailure).andThen(x -> requestPublish());
        }
        if (action instanceof ElectionAction.DeEscalate down) {
            LOG.info("watchdog: leaving the leader role: {}", down.reason());
            return vip.deEscalate().recover(this::logFailure).andThen(x -> {
                pendingDeEscalations--;
                afterStep();
                requestPublish();
            });
        }
        return Future.succeededFuture();
    }

    /** Writes this node's info; at most one write in flight, later requests coalesce into one more. */
    private void requestPublish() {
        if (publishing) {
            publishAgain = true;
            return;
        }
        publishing = true;
        publishOnce().onComplete(ar -> {
            publishing = false;
            if (ar.failed()) {
                LOG.warn("watchdog: cannot publish this node's info: {}", ar.cause().toString());
            }
            publishInfoIfChanged();
            if (publishAgain) {
                publishAgain = false;
                requestPublish();
            }
        });
    }

    private Future<Void> publishOnce() {
        MemberInfo self = self();
        return vertx.executeBlocking(() -> {
            registry.publish(self);
            return null;
        }, false);
    }

    /** One refresh after the retry interval, so the re-probe does not wait for wd_interval. */
    private void scheduleBusyRetry() {
        if (retryScheduled) {
            return;
        }
        retryScheduled = true;
        vertx.setTimer(BUSY_VIP_RETRY_MS, id -> {
            retryScheduled = false;
            if (!stopped) {
                refresh();
            }
        });
    }

    private Future<Void> delay(long millis) {
        if (millis <= 0) {
            return Future.succeededFuture();
        }
        Promise<Void> elapsed = Promise.promise();
        vertx.setTimer(millis, id -> elapsed.complete());
        return elapsed.future();
    }

    private Future<Void> logFailure(Throwable t) {
        LOG.error("watchdog: action failed: {}", t.toString());
        return Future.succeededFuture();
    }

    /**
     * Tells the listeners once a change is real: an escalation as soon as it is decided (the IP
     * follows), a de-escalation only once the IP is down, as DESIGN orders it.
     */
    private void afterStep() {
        boolean nowActive = election.isLeader() || (active && pendingDeEscalations > 0);
        long nowEpoch = election.epoch();
        if (nowActive != active || nowEpoch != epoch) {
            active = nowActive;
            epoch = nowEpoch;
            listeners.forEach(l -> l.accept(this));
        }
        WatchdogState now = election.state();
        if (now != WatchdogState.LOADING && now != WatchdogState.JOINING) {
            firstDecision.tryComplete();
        }
        publishInfoIfChanged();
    }

    private MemberInfo self() {
        LeadershipSettings.Peer me = settings.self();
        return new MemberInfo("", me.name(), me.host(), me.wdPort(), me.pgpoolPort(), settings.priority(),
                election.state(), startTime, election.epoch(), vip.holdsVip(), settings.witness());
    }

    /** The pcp_watchdog_info content; also the reply on {@link Addresses#WATCHDOG_INFO_GET}. */
    public JsonObject info() {
        return WatchdogInfo.of(settings, election, self(), others);
    }

    private void publishInfoIfChanged() {
        JsonObject info = info();
        if (!info.equals(lastInfo)) {
            lastInfo = info;
            vertx.eventBus().publish(Addresses.WATCHDOG_INFO, info, new DeliveryOptions().setLocalOnly(true));
        }
    }
}
