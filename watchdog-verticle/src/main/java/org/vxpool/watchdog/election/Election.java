package org.vxpool.watchdog.election;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's election as a pure state machine: events in, actions out, no cluster and no clock.
 *
 * <p>Every node runs the same rule over the members it can see, so the nodes of one connected
 * cluster agree without exchanging votes, while a partition is made safe by the quorum over the
 * <em>configured</em> members: at most one side of a split has more than half of them.
 *
 * <ul>
 *   <li>The incumbent stays: a visible member that is already LEADER (highest epoch first) is
 *       followed, so a restarted node comes back as standby.</li>
 *   <li>Without an incumbent the candidates are ranked by {@code wd_priority} (highest first), then
 *       start time (earliest first), then name. Witnesses and members in trouble do not stand.</li>
 *   <li>Without quorum a node never leads, and a leader that loses it de-escalates at once.</li>
 *   <li>A leader that sees a stronger leader (higher epoch; after a merge) de-escalates at once.</li>
 *   <li>Each escalation takes the epoch {@code max(every epoch seen) + 1}.</li>
 * </ul>
 *
 * <p>Not thread-safe: the owner confines it to one context.
 */
public final class Election {
    private static final Logger LOG = LoggerFactory.getLogger(Election.class);

    /** Ranks leader candidates: first in this order wins. */
    static final Comparator<MemberInfo> RANK = Comparator
            .comparingInt(MemberInfo::priority).reversed()
            .thenComparingLong(MemberInfo::startTime)
            .thenComparing(MemberInfo::name);

    /** Among several leaders (after a merge) the newest term wins, the rank breaks a tie. */
    static final Comparator<MemberInfo> LEADER_RANK = Comparator
            .comparingLong(MemberInfo::epoch).reversed()
            .thenComparing(RANK);

    /** While the delegate IP stays in use, every this-many-th busy probe is logged (about every 30 s). */
    static final int BUSY_LOG_EVERY = 30;

    private final ElectionSettings settings;
    private WatchdogState state = WatchdogState.LOADING;
    private long epoch;
    private long maxSeenEpoch;
    private boolean trustedReachable;
    /** False until the first trusted-server check has answered (when any are configured). */
    private boolean trustedKnown;
    private boolean probing;
    /** A visible LEADER disappeared without publishing SHUTDOWN and nobody has led since. */
    private boolean leaderVanished;
    private List<MemberInfo> others = List.of();
    private String leaderName = "";
    /** Probes in a row that found the delegate IP answering elsewhere; bounds the log noise of the retries. */
    private int busyProbes;

    public Election(ElectionSettings settings) {
        this.settings = settings;
        this.trustedReachable = !settings.trustedConfigured();
        this.trustedKnown = !settings.trustedConfigured();
    }

    public WatchdogState state() {
        return state;
    }

    public long epoch() {
        return epoch;
    }

    public boolean isLeader() {
        return state == WatchdogState.LEADER;
    }

    /** Name of the leader this node follows or is; empty when there is none. */
    public String leaderName() {
        return leaderName;
    }

    /** Whether this node sees a quorum of the configured members (itself included). */
    public boolean hasQuorum() {
        return settings.quorum(presentCount());
    }

    /** Members counted for quorum: this node (unless shut down) and every visible member not shut down. */
    public int presentCount() {
        int present = state == WatchdogState.SHUTDOWN ? 0 : 1;
        for (MemberInfo m : others) {
            if (m.state() != WatchdogState.SHUTDOWN) {
                present++;
            }
        }
        return present;
    }

    public ElectionSettings settings() {
        return settings;
    }

    /** The single entry point: apply one event, return what the owner must do. */
    public List<ElectionAction> handle(ElectionEvent event) {
        List<ElectionAction> actions = new ArrayList<>();
        if (state == WatchdogState.SHUTDOWN) {
            return actions;
        }
        if (event instanceof ElectionEvent.Started) {
            if (state == WatchdogState.LOADING) {
                transition(WatchdogState.JOINING, "started", actions);
            }
        } else if (event instanceof ElectionEvent.MembersSeen seen) {
            noteVanishedLeader(seen.others());
            others = List.copyOf(seen.others());
            for (MemberInfo m : others) {
                maxSeenEpoch = Math.max(maxSeenEpoch, m.epoch());
            }
            evaluate(actions);
        } else if (event instanceof ElectionEvent.TrustedServersChecked checked) {
            trustedReachable = checked.reachable();
            trustedKnown = true;
            evaluate(actions);
        } else if (event instanceof ElectionEvent.VipProbed probed) {
            onVipProbed(probed.free(), actions);
        } else if (event instanceof ElectionEvent.Shutdown) {
            if (state == WatchdogState.LEADER) {
                actions.add(new ElectionAction.DeEscalate("shutdown"));
            }
            transition(WatchdogState.SHUTDOWN, "shutdown requested", actions);
        }
        return actions;
    }

    private void evaluate(List<ElectionAction> actions) {
        if (state == WatchdogState.LOADING) {
            return;
        }
        if (state == WatchdogState.LEADER) {
            checkLeader(actions);
            return;
        }
        if (!trustedKnown) {
            return;
        }
        if (!trustedReachable) {
            busyProbes = 0;
            transition(WatchdogState.IN_NETWORK_TROUBLE, "no trusted server answers", actions);
            return;
        }
        if (!hasQuorum()) {
            busyProbes = 0;
            transition(WatchdogState.LOST_QUORUM, "waiting for the quorum: " + presentCount() + " of "
                    + settings.configuredMembers() + " configured members visible", actions);
            return;
        }
        Optional<MemberInfo> incumbent = visibleLeader();
        if (incumbent.isPresent()) {
            busyProbes = 0;
            leaderName = incumbent.get().name();
            transition(WatchdogState.STANDBY, "leader is " + leaderName, actions);
            return;
        }
        if (others.stream().anyMatch(m -> m.state() == WatchdogState.LOADING)) {
            // Someone's priority and start time are not known yet: electing now could pick a
            // different winner than the one that member will pick once its info is in.
            return;
        }
        standForLeader(actions);
    }

    private void standForLeader(List<ElectionAction> actions) {
        Optional<MemberInfo> better = strongerCandidate();
        if (settings.witness() || better.isPresent()) {
            busyProbes = 0;
            leaderName = "";
            String waitingFor = better.map(MemberInfo::name).orElse("a candidate");
            transition(WatchdogState.STANDBY, "waiting for " + waitingFor + " to escalate", actions);
            return;
        }
        if (!settings.vipConfigured()) {
            escalate(actions);
        } else if (!probing) {
            probing = true;
            actions.add(new ElectionAction.ProbeVip(previousLeader()));
        }
    }

    /**
     * RELEASED only for the member that held the newest term this node knows of: an older
     * leader's goodbye says nothing about who raised the IP after it.
     */
    private ElectionAction.PreviousLeader previousLeader() {
        if (busyProbes > 0) {
            // The grace was for the first probe of this attempt; the address answering now is not
            // being dropped. Anything that ends the attempt resets the count, so a later leader's
            // departure gets its grace again.
            return ElectionAction.PreviousLeader.UNKNOWN;
        }
        if (leaderVanished) {
            return ElectionAction.PreviousLeader.VANISHED;
        }
        boolean released = others.stream().anyMatch(m -> m.state() == WatchdogState.SHUTDOWN && !m.holdsVip()
                && m.epoch() > 0 && m.epoch() == maxSeenEpoch);
        return released ? ElectionAction.PreviousLeader.RELEASED : ElectionAction.PreviousLeader.UNKNOWN;
    }

    /** The best visible candidate that ranks before this node; with a witness, the best at all. */
    private Optional<MemberInfo> strongerCandidate() {
        MemberInfo me = selfCandidate();
        return others.stream()
                .filter(m -> m.state().canStand() && !m.witness())
                .filter(m -> settings.witness() || RANK.compare(m, me) < 0)
                .min(RANK);
    }

    private void noteVanishedLeader(List<MemberInfo> now) {
        for (MemberInfo before : others) {
            if (before.state() == WatchdogState.LEADER
                    && now.stream().noneMatch(m -> m.id().equals(before.id()))) {
                leaderVanished = true;
            }
        }
        if (now.stream().anyMatch(m -> m.state() == WatchdogState.LEADER)) {
            leaderVanished = false;
        }
    }

    private void onVipProbed(boolean free, List<ElectionAction> actions) {
        probing = false;
        if (state == WatchdogState.LEADER || state == WatchdogState.LOADING) {
            return;
        }
        if (!free) {
            busyProbes++;
            if (busyProbes == 1 || busyProbes % BUSY_LOG_EVERY == 0) {
                LOG.warn("watchdog: the delegate IP answers ARP on another host; not escalating, probing again while "
                        + "this node has the quorum and no other leads ({} probe{} so far)", busyProbes,
                        busyProbes == 1 ? "" : "s");
            }
            transition(WatchdogState.STANDBY, "delegate IP held elsewhere", actions);
            return;
        }
        if (busyProbes > 0) {
            LOG.info("watchdog: the delegate IP is free again after {} probe{} found it in use", busyProbes,
                    busyProbes == 1 ? "" : "s");
            busyProbes = 0;
        }
        // The world may have changed while the probe ran: decide again, this time without a probe.
        if (trustedReachable && hasQuorum() && visibleLeader().isEmpty() && !settings.witness()
                && strongerCandidate().isEmpty()) {
            escalate(actions);
        } else {
            evaluate(actions);
        }
    }

    private void checkLeader(List<ElectionAction> actions) {
        if (!hasQuorum()) {
            LOG.warn("We have lost the quorum: {} of {} configured members visible", presentCount(),
                    settings.configuredMembers());
            deEscalate(WatchdogState.LOST_QUORUM, "We have lost the quorum", actions);
            return;
        }
        MemberInfo me = selfCandidate().withState(WatchdogState.LEADER, epoch, false);
        Optional<MemberInfo> rival = others.stream()
                .filter(m -> m.state() == WatchdogState.LEADER)
                .filter(m -> LEADER_RANK.compare(m, me) < 0)
                .min(LEADER_RANK);
        if (rival.isPresent()) {
            leaderName = rival.get().name();
            deEscalate(WatchdogState.STANDBY, "another leader " + leaderName + " holds a newer term (epoch "
                    + rival.get().epoch() + ")", actions);
            return;
        }
        if (!trustedReachable) {
            deEscalate(WatchdogState.IN_NETWORK_TROUBLE, "no trusted server answers", actions);
        }
    }

    private Optional<MemberInfo> visibleLeader() {
        return others.stream().filter(m -> m.state() == WatchdogState.LEADER).min(LEADER_RANK);
    }

    private MemberInfo selfCandidate() {
        return new MemberInfo("", settings.name(), "", 0, 0, settings.priority(), state,
                settings.startTime(), epoch, false, settings.witness());
    }

    private void escalate(List<ElectionAction> actions) {
        leaderVanished = false;
        epoch = Math.max(maxSeenEpoch, epoch) + 1;
        maxSeenEpoch = epoch;
        leaderName = settings.name();
        transition(WatchdogState.LEADER, "elected with epoch " + epoch, actions);
        actions.add(new ElectionAction.Escalate(epoch));
    }

    private void deEscalate(WatchdogState next, String reason, List<ElectionAction> actions) {
        actions.add(new ElectionAction.DeEscalate(reason));
        if (next != WatchdogState.STANDBY) {
            leaderName = "";
        }
        transition(next, reason, actions);
    }

    /**
     * The one place that changes the state: it logs the operator-facing line and asks to publish.
     * Publish follows the actions added before it, so a leaving leader releases the delegate IP
     * before the others can see it gone.
     */
    private void transition(WatchdogState next, String reason, List<ElectionAction> actions) {
        if (next == state) {
            return;
        }
        WatchdogState previous = state;
        state = next;
        switch (next) {
            case LEADER -> LOG.info("I am the cluster leader node (epoch {})", epoch);
            case STANDBY -> LOG.info("successfully joined the watchdog cluster as standby node ({})", reason);
            default -> LOG.info("watchdog state {} -> {}: {}", previous, next, reason);
        }
        actions.add(new ElectionAction.Publish());
    }
}
