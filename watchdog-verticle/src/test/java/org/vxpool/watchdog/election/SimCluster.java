package org.vxpool.watchdog.election;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Drives several {@link Election}s the way the cluster would, with no cluster: each node is shown
 * the live members on its own side of the network, VIP probes answer whether anyone on that side
 * holds the delegate IP. Rounds repeat until no node changes any more.
 */
final class SimCluster {
    private final int configured;
    private final boolean halfVotes;
    private final boolean vip;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private Function<String, Integer> sideOf = name -> 0;
    private long clock = 1000;
    /** Greatest number of leaders at any moment between two evaluations, over the run. */
    int maxLeadersSeenTogether;

    static final class Node {
        final String name;
        final Election election;
        final boolean witness;
        boolean holdsVip;
        boolean trustedReachable = true;

        Node(String name, Election election, boolean witness) {
            this.name = name;
            this.election = election;
            this.witness = witness;
        }

        MemberInfo info() {
            return new MemberInfo(name, name, name, 9000, 9999, election.settings().priority(),
                    election.state(), election.settings().startTime(), election.epoch(), holdsVip, witness);
        }
    }

    SimCluster(int configured, boolean halfVotes, boolean vip) {
        this.configured = configured;
        this.halfVotes = halfVotes;
        this.vip = vip;
    }

    SimCluster start(String name) {
        return start(name, 1, false);
    }

    SimCluster start(String name, int priority, boolean witness) {
        ElectionSettings s = new ElectionSettings(name, priority, clock++, configured, halfVotes, witness, vip, false);
        Node node = new Node(name, new Election(s), witness);
        nodes.put(name, node);
        apply(node, node.election.handle(new ElectionEvent.Started()));
        return settle();
    }

    /** Adds nodes that all join before any of them sees the others (simultaneous start). */
    SimCluster startTogether(String... names) {
        for (String name : names) {
            ElectionSettings s = new ElectionSettings(name, 1, clock++, configured, halfVotes, false, vip, false);
            Node node = new Node(name, new Election(s), false);
            nodes.put(name, node);
            apply(node, node.election.handle(new ElectionEvent.Started()));
        }
        return settle();
    }

    SimCluster stop(String name) {
        Node node = nodes.get(name);
        apply(node, node.election.handle(new ElectionEvent.Shutdown()));
        settle();
        nodes.remove(name);
        return settle();
    }

    SimCluster kill(String name) {
        nodes.remove(name);
        return settle();
    }

    SimCluster trusted(String name, boolean reachable) {
        Node node = nodes.get(name);
        node.trustedReachable = reachable;
        apply(node, node.election.handle(new ElectionEvent.TrustedServersChecked(reachable)));
        return settle();
    }

    /** Splits the network: each element is the set of names on one side. */
    SimCluster partition(List<Set<String>> sides) {
        Map<String, Integer> side = new LinkedHashMap<>();
        for (int i = 0; i < sides.size(); i++) {
            for (String n : sides.get(i)) {
                side.put(n, i);
            }
        }
        sideOf = n -> side.getOrDefault(n, 0);
        return settle();
    }

    SimCluster heal() {
        sideOf = n -> 0;
        return settle();
    }

    SimCluster settle() {
        for (int round = 0; round < 20; round++) {
            boolean changed = false;
            for (Node node : List.copyOf(nodes.values())) {
                WatchdogState before = node.election.state();
                long epochBefore = node.election.epoch();
                apply(node, node.election.handle(new ElectionEvent.MembersSeen(visibleTo(node))));
                changed |= before != node.election.state() || epochBefore != node.election.epoch();
                recordLeaders();
            }
            if (!changed) {
                return this;
            }
        }
        throw new AssertionError("election did not settle: " + states());
    }

    private void recordLeaders() {
        long leaders = nodes.values().stream().filter(n -> n.election.isLeader()).count();
        maxLeadersSeenTogether = Math.max(maxLeadersSeenTogether, (int) leaders);
    }

    private List<MemberInfo> visibleTo(Node node) {
        List<MemberInfo> seen = new ArrayList<>();
        for (Node other : nodes.values()) {
            if (other != node && sideOf.apply(other.name).equals(sideOf.apply(node.name))) {
                seen.add(other.info());
            }
        }
        return seen;
    }

    private void apply(Node node, List<ElectionAction> actions) {
        for (ElectionAction action : actions) {
            if (action instanceof ElectionAction.ProbeVip) {
                boolean free = nodes.values().stream().noneMatch(o -> o != node && o.holdsVip
                        && sideOf.apply(o.name).equals(sideOf.apply(node.name)));
                apply(node, node.election.handle(new ElectionEvent.VipProbed(free)));
            } else if (action instanceof ElectionAction.Escalate) {
                node.holdsVip = vip;
            } else if (action instanceof ElectionAction.DeEscalate) {
                node.holdsVip = false;
            }
        }
    }

    WatchdogState state(String name) {
        return nodes.get(name).election.state();
    }

    Election election(String name) {
        return nodes.get(name).election;
    }

    boolean holdsVip(String name) {
        return nodes.get(name).holdsVip;
    }

    Set<String> leaders() {
        Set<String> leaders = new HashSet<>();
        nodes.values().forEach(n -> {
            if (n.election.isLeader()) {
                leaders.add(n.name);
            }
        });
        return leaders;
    }

    Set<String> vipHolders() {
        Set<String> holders = new HashSet<>();
        nodes.values().forEach(n -> {
            if (n.holdsVip) {
                holders.add(n.name);
            }
        });
        return holders;
    }

    Map<String, String> states() {
        Map<String, String> states = new LinkedHashMap<>();
        nodes.values().forEach(n -> states.put(n.name, n.election.state() + "/" + n.election.epoch()));
        return states;
    }
}
