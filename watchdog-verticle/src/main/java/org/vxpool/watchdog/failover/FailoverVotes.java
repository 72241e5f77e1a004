package org.vxpool.watchdog.failover;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.vxpool.common.config.Param;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;

/**
 * The Active node's tally of failover votes per backend, in pgpool's
 * {@code failover_require_consensus} semantics: a backend is failed over only when enough watchdog
 * members saw it fail within {@link Rules#window()}; until then it is quarantined. Pure and
 * single-threaded (the watchdog verticle's event loop owns it); time is passed in.
 */
public final class FailoverVotes {

    /** What the Active node does with a backend after a vote. */
    public enum Decision { FAILOVER, QUARANTINE }

    /**
     * @param requireConsensus {@code failover_require_consensus}; off: every vote fails over at once
     * @param whenQuorumExists {@code failover_when_quorum_exists}; on: never fail over without quorum
     * @param allowMultipleFromNode {@code allow_multiple_failover_requests_from_node}; on: a member's
     *     repeated votes each count, as in pgpool
     * @param window how long a vote counts; pgpool keeps a request until the failover is decided, we
     *     let it expire so that old, unrelated blips do not add up
     */
    public record Rules(boolean requireConsensus, boolean whenQuorumExists, boolean allowMultipleFromNode,
                        Duration window) {

        /** From pgpool.conf, or the parameters' defaults when settings were built by hand (null). */
        public static Rules from(PoolConfig config, Duration window) {
            return new Rules(value(config, Params.FAILOVER_REQUIRE_CONSENSUS),
                    value(config, Params.FAILOVER_WHEN_QUORUM_EXISTS),
                    value(config, Params.ALLOW_MULTIPLE_FAILOVER_REQUESTS_FROM_NODE), window);
        }

        private static boolean value(PoolConfig config, Param<Boolean> param) {
            return config == null ? param.defaultValue() : config.get(param);
        }
    }

    private record Vote(String voter, long atMillis) {
    }

    private final Rules rules;
    private final Map<Integer, Deque<Vote>> votes = new HashMap<>();

    public FailoverVotes(Rules rules) {
        this.rules = rules;
    }

    /**
     * Votes needed out of {@code members} configured watchdog members (this node included): more
     * than half, or exactly half with {@code enable_consensus_with_half_votes} (the election's own
     * quorum rule, which the watchdog uses for this).
     */
    public static int required(int members, boolean halfVotes) {
        int n = Math.max(1, members);
        return n % 2 == 0 && halfVotes ? n / 2 : n / 2 + 1;
    }

    /**
     * Records {@code voter}'s vote against backend {@code node} and decides. A FAILOVER decision
     * clears the node's votes.
     *
     * @param required votes needed, see {@link #required(int, boolean)}
     * @param quorumExists whether the watchdog cluster currently holds quorum
     */
    public Decision vote(int node, String voter, long nowMillis, int required, boolean quorumExists) {
        if (rules.whenQuorumExists() && !quorumExists) {
            // pgpool: without quorum the node is quarantined and the vote is not kept.
            return Decision.QUARANTINE;
        }
        if (!rules.requireConsensus()) {
            votes.remove(node);
            return Decision.FAILOVER;
        }
        Deque<Vote> list = votes.computeIfAbsent(node, k -> new ArrayDeque<>());
        list.addLast(new Vote(voter, nowMillis));
        if (count(node, nowMillis) >= required) {
            votes.remove(node);
            return Decision.FAILOVER;
        }
        return Decision.QUARANTINE;
    }

    /** Live votes against {@code node}: expired ones are dropped first. */
    public int count(int node, long nowMillis) {
        Deque<Vote> list = votes.get(node);
        if (list == null) {
            return 0;
        }
        long oldest = nowMillis - rules.window().toMillis();
        list.removeIf(v -> v.atMillis() < oldest);
        if (rules.allowMultipleFromNode()) {
            return list.size();
        }
        Set<String> voters = new HashSet<>();
        list.forEach(v -> voters.add(v.voter()));
        return voters.size();
    }

    /** {@code voter} now sees the node healthy: its earlier votes against it no longer stand. */
    public void withdraw(int node, String voter) {
        Deque<Vote> list = votes.get(node);
        if (list != null) {
            list.removeIf(v -> v.voter().equals(voter));
        }
    }

    /** The node recovered, was failed over or was attached: its pending votes no longer apply. */
    public void clear(int node) {
        votes.remove(node);
    }
}
