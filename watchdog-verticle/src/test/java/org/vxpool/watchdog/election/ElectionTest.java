package org.vxpool.watchdog.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ElectionTest {

    @Test
    void twoNodesWithHalfVotesFirstStartedLeadsAndSecondStandsBy() {
        SimCluster c = new SimCluster(2, true, true).start("osspc19");
        assertThat(c.state("osspc19")).isEqualTo(WatchdogState.LEADER);
        assertThat(c.election("osspc19").epoch()).isEqualTo(1);
        assertThat(c.holdsVip("osspc19")).isTrue();

        c.start("osspc20");
        assertThat(c.state("osspc20")).isEqualTo(WatchdogState.STANDBY);
        assertThat(c.election("osspc20").leaderName()).isEqualTo("osspc19");
        assertThat(c.leaders()).containsExactly("osspc19");
    }

    @Test
    void twoNodesWithoutHalfVotesNeedBoth() {
        SimCluster c = new SimCluster(2, false, true).start("a");
        assertThat(c.state("a")).isEqualTo(WatchdogState.LOST_QUORUM);
        assertThat(c.vipHolders()).isEmpty();

        c.start("b");
        assertThat(c.leaders()).containsExactly("a");
        assertThat(c.state("b")).isEqualTo(WatchdogState.STANDBY);

        c.kill("a");
        assertThat(c.state("b")).isEqualTo(WatchdogState.LOST_QUORUM);
        assertThat(c.vipHolders()).isEmpty();
    }

    @Test
    void gracefulStopHandsOverWithANewEpochAndNeverTwoHolders() {
        SimCluster c = new SimCluster(2, true, true).start("a").start("b");
        c.stop("a");
        assertThat(c.leaders()).containsExactly("b");
        assertThat(c.election("b").epoch()).isEqualTo(2);
        assertThat(c.maxLeadersSeenTogether).isEqualTo(1);

        c.start("a");
        assertThat(c.state("a")).isEqualTo(WatchdogState.STANDBY);
        assertThat(c.leaders()).containsExactly("b");
    }

    @Test
    void restartedNodeComesBackAsStandbyEvenWithHigherPriority() {
        SimCluster c = new SimCluster(2, true, true).start("a", 1, false).start("b", 1, false);
        c.kill("a");
        assertThat(c.leaders()).containsExactly("b");
        c.start("a", 10, false);
        assertThat(c.state("a")).isEqualTo(WatchdogState.STANDBY);
        assertThat(c.leaders()).containsExactly("b");
    }

    @Test
    void firstElectionGoesByPriorityThenStartTimeThenName() {
        SimCluster c = new SimCluster(3, false, false).start("low", 1, false);
        assertThat(c.state("low")).isEqualTo(WatchdogState.LOST_QUORUM);
        c.start("high", 5, false);
        assertThat(c.leaders()).containsExactly("high");
        c.start("highest", 9, false);
        assertThat(c.leaders()).as("the incumbent stays").containsExactly("high");

        SimCluster same = new SimCluster(3, false, false).startTogether("n1", "n2", "n3");
        assertThat(same.leaders()).as("equal priority: earliest start").containsExactly("n1");

        List<MemberInfo> tied = Stream.of("zed", "amy")
                .map(n -> new MemberInfo(n, n, "h", 1, 1, 1, WatchdogState.STANDBY, 5, 0, false, false))
                .sorted(Election.RANK).toList();
        assertThat(tied.get(0).name()).as("same priority and start: name").isEqualTo("amy");
    }

    @Test
    void threeNodesNeedTwo() {
        SimCluster c = new SimCluster(3, false, true).start("a");
        assertThat(c.leaders()).isEmpty();
        c.start("b");
        assertThat(c.leaders()).containsExactly("a");
        c.kill("a");
        assertThat(c.leaders()).isEmpty();
        assertThat(c.state("b")).isEqualTo(WatchdogState.LOST_QUORUM);
        c.start("c");
        assertThat(c.leaders()).containsExactly("b");
        assertThat(c.election("b").epoch()).as("max seen epoch + 1").isEqualTo(2);
    }

    @Test
    void leaderThatLosesQuorumDeEscalatesInItsFirstEvaluation() {
        SimCluster c = new SimCluster(3, false, true).start("a").start("b").start("c");
        Election a = c.election("a");
        List<ElectionAction> actions = a.handle(new ElectionEvent.MembersSeen(List.of()));
        assertThat(actions).containsExactly(new ElectionAction.DeEscalate("We have lost the quorum"),
                new ElectionAction.Publish());
        assertThat(a.state()).isEqualTo(WatchdogState.LOST_QUORUM);
    }

    static Stream<Arguments> partitions() {
        return Stream.of(
                // configured, halfVotes, nodes (start order; first leads), sides, expected leaders after the split
                Arguments.of(3, false, List.of("a", "b", "c"), List.of(Set.of("a"), Set.of("b", "c")), Set.of("b")),
                Arguments.of(3, false, List.of("a", "b", "c"), List.of(Set.of("a", "b"), Set.of("c")), Set.of("a")),
                Arguments.of(3, false, List.of("a", "b", "c"), List.of(Set.of("a"), Set.of("b"), Set.of("c")), Set.of()),
                Arguments.of(5, false, List.of("a", "b", "c", "d", "e"),
                        List.of(Set.of("a", "b"), Set.of("c", "d", "e")), Set.of("c")),
                Arguments.of(4, false, List.of("a", "b", "c", "d"), List.of(Set.of("a", "b"), Set.of("c", "d")), Set.of()),
                Arguments.of(2, false, List.of("a", "b"), List.of(Set.of("a"), Set.of("b")), Set.of()),
                // Half votes trade split-brain safety for the tutorial's 2-node takeover: both
                // sides lead; the trusted servers and the ARP probe are the fences then.
                Arguments.of(2, true, List.of("a", "b"), List.of(Set.of("a"), Set.of("b")), Set.of("a", "b")),
                Arguments.of(4, true, List.of("a", "b", "c", "d"), List.of(Set.of("a", "b"), Set.of("c", "d")),
                        Set.of("a", "c")));
    }

    @ParameterizedTest(name = "{0} configured, half votes {1}: split {3} -> leaders {4}")
    @MethodSource("partitions")
    void eachSideDecidesOnItsOwnViewAndMergeLeavesOneLeader(int configured, boolean halfVotes, List<String> names,
            List<Set<String>> sides, Set<String> expectedLeaders) {
        SimCluster c = new SimCluster(configured, halfVotes, true);
        names.forEach(c::start);
        assertThat(c.leaders()).containsExactly(names.get(0));

        c.partition(sides);
        assertThat(c.leaders()).as(c.states().toString()).isEqualTo(expectedLeaders);
        assertThat(c.vipHolders()).isEqualTo(expectedLeaders);

        c.heal();
        assertThat(c.leaders()).as("after merge " + c.states()).hasSize(1);
        String leader = c.leaders().iterator().next();
        long maxEpoch = names.stream().mapToLong(n -> c.election(n).epoch()).max().orElseThrow();
        assertThat(c.election(leader).epoch()).as("the newest term wins the merge").isEqualTo(maxEpoch);
        assertThat(c.vipHolders()).containsExactly(leader);
        names.stream().filter(n -> !n.equals(leader))
                .forEach(n -> assertThat(c.state(n)).isEqualTo(WatchdogState.STANDBY));
    }

    @Test
    void witnessVotesButNeverLeads() {
        SimCluster c = new SimCluster(3, false, true).start("w", 100, true);
        assertThat(c.state("w")).isEqualTo(WatchdogState.LOST_QUORUM);
        c.start("a");
        assertThat(c.leaders()).as("a and the witness make a quorum").containsExactly("a");
        assertThat(c.state("w")).isEqualTo(WatchdogState.STANDBY);
        c.start("b");
        c.kill("a");
        assertThat(c.leaders()).containsExactly("b");
        c.kill("b");
        assertThat(c.leaders()).isEmpty();
        assertThat(c.state("w")).isEqualTo(WatchdogState.LOST_QUORUM);
    }

    @Test
    void witnessWithHigherPriorityAndOnlyCandidateMissingStaysStandby() {
        SimCluster c = new SimCluster(2, true, false).start("w", 100, true);
        assertThat(c.state("w")).isEqualTo(WatchdogState.STANDBY);
        assertThat(c.leaders()).isEmpty();
    }

    @Test
    void unreachableTrustedServersForbidLeading() {
        SimCluster c = new SimCluster(3, false, true).start("a").start("b").start("c");
        c.trusted("a", false);
        assertThat(c.state("a")).isEqualTo(WatchdogState.IN_NETWORK_TROUBLE);
        assertThat(c.leaders()).containsExactly("b");
        assertThat(c.vipHolders()).containsExactly("b");
        c.trusted("a", true);
        assertThat(c.state("a")).isEqualTo(WatchdogState.STANDBY);
        assertThat(c.leaders()).containsExactly("b");
    }

    @Test
    void trustedServersMustAnswerBeforeTheFirstEscalation() {
        Election e = new Election(new ElectionSettings("a", 1, 1, 1, false, false, false, true));
        e.handle(new ElectionEvent.Started());
        e.handle(new ElectionEvent.MembersSeen(List.of()));
        assertThat(e.state()).as("no answer yet: no decision either").isEqualTo(WatchdogState.JOINING);
        e.handle(new ElectionEvent.TrustedServersChecked(false));
        assertThat(e.state()).isEqualTo(WatchdogState.IN_NETWORK_TROUBLE);
        assertThat(e.handle(new ElectionEvent.TrustedServersChecked(true)))
                .contains(new ElectionAction.Escalate(1));
    }

    @Test
    void occupiedDelegateIpBlocksEscalation() {
        Election e = new Election(new ElectionSettings("a", 1, 1, 1, false, false, true, false));
        e.handle(new ElectionEvent.Started());
        assertThat(e.handle(new ElectionEvent.MembersSeen(List.of()))).containsExactly(new ElectionAction.ProbeVip(ElectionAction.PreviousLeader.UNKNOWN));
        assertThat(e.handle(new ElectionEvent.MembersSeen(List.of()))).as("one probe at a time").isEmpty();
        e.handle(new ElectionEvent.VipProbed(false));
        assertThat(e.isLeader()).isFalse();
        assertThat(e.handle(new ElectionEvent.MembersSeen(List.of()))).containsExactly(new ElectionAction.ProbeVip(ElectionAction.PreviousLeader.UNKNOWN));
        assertThat(e.handle(new ElectionEvent.VipProbed(true)))
                .containsExactly(new ElectionAction.Publish(), new ElectionAction.Escalate(1));
    }

    /**
     * Issue 11: the Active's JVM was SIGKILLed and its host still answers ARP for the IP. The node
     * that would lead keeps probing (every probe a fresh ProbeVip, nothing else) for as long as it
     * keeps the quorum and nobody else leads, and escalates at the first free probe.
     */
    @Test
    void busyDelegateIpIsProbedAgainUntilItIsFree() {
        Election e = new Election(new ElectionSettings("b", 1, 10, 3, false, false, true, false));
        MemberInfo witness = new MemberInfo("w", "w", "h", 1, 1, 0, WatchdogState.STANDBY, 20, 1, false, true);
        MemberInfo killed = new MemberInfo("a", "a", "h", 1, 1, 1, WatchdogState.LEADER, 5, 1, true, false);
        e.handle(new ElectionEvent.Started());
        e.handle(new ElectionEvent.MembersSeen(List.of(witness, killed)));
        assertThat(e.handle(new ElectionEvent.MembersSeen(List.of(witness))))
                .containsExactly(new ElectionAction.ProbeVip(ElectionAction.PreviousLeader.VANISHED));
        // Only the first probe waits for a vanished leader to drop the address; the retries do not.
        for (int retry = 0; retry < Election.BUSY_LOG_EVERY + 3; retry++) {
            e.handle(new ElectionEvent.VipProbed(false));
            assertThat(e.isLeader()).isFalse();
            assertThat(e.handle(new ElectionEvent.MembersSeen(List.of(witness)))).as("retry %d", retry)
                    .containsExactly(new ElectionAction.ProbeVip(ElectionAction.PreviousLeader.UNKNOWN));
        }
        assertThat(e.handle(new ElectionEvent.VipProbed(true))).containsExactly(new ElectionAction.Publish(),
                new ElectionAction.Escalate(2));
    }

    @Test
    void busyDelegateIpRetriesStopWithoutQuorumOrWhenAnotherLeads() {
        ElectionSettings s = new ElectionSettings("b", 1, 10, 3, false, false, true, false);
        MemberInfo witness = new MemberInfo("w", "w", "h", 1, 1, 0, WatchdogState.STANDBY, 20, 1, false, true);

        Election alone = new Election(s);
        alone.handle(new ElectionEvent.Started());
        alone.handle(new ElectionEvent.MembersSeen(List.of(witness)));
        alone.handle(new ElectionEvent.VipProbed(false));
        assertThat(alone.handle(new ElectionEvent.MembersSeen(List.of()))).as("quorum lost: no more probes")
                .doesNotHaveAnyElementsOfTypes(ElectionAction.ProbeVip.class);
        assertThat(alone.state()).isEqualTo(WatchdogState.LOST_QUORUM);

        Election follower = new Election(s);
        follower.handle(new ElectionEvent.Started());
        follower.handle(new ElectionEvent.MembersSeen(List.of(witness)));
        follower.handle(new ElectionEvent.VipProbed(false));
        MemberInfo leader = new MemberInfo("a", "a", "h", 1, 1, 1, WatchdogState.LEADER, 5, 3, true, false);
        assertThat(follower.handle(new ElectionEvent.MembersSeen(List.of(witness, leader))))
                .as("another node leads: follow it, no probe").doesNotHaveAnyElementsOfTypes(ElectionAction.ProbeVip.class);
        assertThat(follower.leaderName()).isEqualTo("a");
        assertThat(follower.handle(new ElectionEvent.MembersSeen(List.of(witness))))
                .as("a later leader's departure gets its grace again")
                .containsExactly(new ElectionAction.ProbeVip(ElectionAction.PreviousLeader.VANISHED));
    }

    @Test
    void probeAfterALeaderVanishedWithoutGoodbyeAsksForGrace() {
        ElectionSettings s = new ElectionSettings("b", 1, 10, 2, true, false, true, false);
        MemberInfo leader = new MemberInfo("a", "a", "h", 1, 1, 1, WatchdogState.LEADER, 5, 3, true, false);

        Election crashed = new Election(s);
        crashed.handle(new ElectionEvent.Started());
        crashed.handle(new ElectionEvent.MembersSeen(List.of(leader)));
        assertThat(crashed.handle(new ElectionEvent.MembersSeen(List.of())))
                .containsExactly(new ElectionAction.ProbeVip(ElectionAction.PreviousLeader.VANISHED));

        Election handedOver = new Election(s);
        handedOver.handle(new ElectionEvent.Started());
        handedOver.handle(new ElectionEvent.MembersSeen(List.of(leader)));
        assertThat(handedOver.handle(new ElectionEvent.MembersSeen(
                List.of(leader.withState(WatchdogState.SHUTDOWN, 3, false)))))
                .as("graceful: no grace, short probe")
                .containsExactly(new ElectionAction.ProbeVip(ElectionAction.PreviousLeader.RELEASED));
    }

    @Test
    void onlyTheNewestTermsGoodbyeShortensTheProbe() {
        ElectionSettings s = new ElectionSettings("c", 1, 10, 3, false, false, true, false);
        MemberInfo termTwoGone = new MemberInfo("a", "a", "h", 1, 1, 1, WatchdogState.SHUTDOWN, 5, 2, false, false);
        MemberInfo termFourGone = new MemberInfo("b", "b", "h", 1, 1, 1, WatchdogState.SHUTDOWN, 1, 4, false, false);
        MemberInfo later = new MemberInfo("d", "d", "h", 1, 1, 1, WatchdogState.STANDBY, 20, 0, false, false);

        Election e = new Election(s);
        e.handle(new ElectionEvent.Started());
        assertThat(e.handle(new ElectionEvent.MembersSeen(List.of(termTwoGone, termFourGone, later))))
                .as("b held term 4 and said goodbye")
                .containsExactly(new ElectionAction.ProbeVip(ElectionAction.PreviousLeader.RELEASED));

        Election older = new Election(s);
        older.handle(new ElectionEvent.Started());
        older.handle(new ElectionEvent.MembersSeen(List.of(termFourGone.withState(WatchdogState.STANDBY, 4, false))));
        assertThat(older.state()).isEqualTo(WatchdogState.STANDBY);
        assertThat(older.handle(new ElectionEvent.MembersSeen(List.of(termTwoGone, later))))
                .as("term 2's goodbye says nothing about who held term 4")
                .containsExactly(new ElectionAction.ProbeVip(ElectionAction.PreviousLeader.UNKNOWN));

        Election stillHolding = new Election(s);
        stillHolding.handle(new ElectionEvent.Started());
        assertThat(stillHolding.handle(new ElectionEvent.MembersSeen(List.of(
                termFourGone.withState(WatchdogState.SHUTDOWN, 4, true), later))))
                .as("a goodbye that still claims the IP")
                .containsExactly(new ElectionAction.ProbeVip(ElectionAction.PreviousLeader.UNKNOWN));
    }

    @Test
    void memberWithUnknownInfoDelaysAFirstElectionButNotFollowingALeader() {
        Election e = new Election(new ElectionSettings("b", 1, 10, 3, false, false, false, false));
        e.handle(new ElectionEvent.Started());
        MemberInfo loading = MemberInfo.unknown("x", "h", 1);
        e.handle(new ElectionEvent.MembersSeen(List.of(loading)));
        assertThat(e.state()).isEqualTo(WatchdogState.JOINING);

        MemberInfo leader = new MemberInfo("a", "a", "h", 1, 1, 1, WatchdogState.LEADER, 5, 7, true, false);
        e.handle(new ElectionEvent.MembersSeen(List.of(loading, leader)));
        assertThat(e.state()).isEqualTo(WatchdogState.STANDBY);
        assertThat(e.leaderName()).isEqualTo("a");

        e.handle(new ElectionEvent.MembersSeen(List.of(leader.withState(WatchdogState.SHUTDOWN, 7, false),
                new MemberInfo("c", "c", "h", 1, 1, 1, WatchdogState.STANDBY, 20, 0, false, false))));
        assertThat(e.isLeader()).as("shut-down leader is not waited for").isTrue();
        assertThat(e.epoch()).as("max seen epoch + 1").isEqualTo(8);
    }

    @Test
    void leaderSeeingANewerLeaderStepsDownAtOnce() {
        Election e = new Election(new ElectionSettings("a", 5, 1, 2, true, false, false, false));
        e.handle(new ElectionEvent.Started());
        e.handle(new ElectionEvent.MembersSeen(List.of()));
        assertThat(e.epoch()).isEqualTo(1);
        MemberInfo newer = new MemberInfo("b", "b", "h", 1, 1, 1, WatchdogState.LEADER, 9, 2, true, false);
        assertThat(e.handle(new ElectionEvent.MembersSeen(List.of(newer)))).startsWith(
                new ElectionAction.DeEscalate("another leader b holds a newer term (epoch 2)"));
        assertThat(e.state()).isEqualTo(WatchdogState.STANDBY);

        MemberInfo older = newer.withState(WatchdogState.LEADER, 0, true);
        Election f = new Election(new ElectionSettings("a", 5, 1, 2, true, false, false, false));
        f.handle(new ElectionEvent.Started());
        f.handle(new ElectionEvent.MembersSeen(List.of()));
        assertThat(f.handle(new ElectionEvent.MembersSeen(List.of(older)))).as("older term: keep leading").isEmpty();
    }

    @Test
    void shutdownOfTheLeaderReleasesTheIpBeforePublishing() {
        Election e = new Election(new ElectionSettings("a", 1, 1, 1, false, false, false, false));
        e.handle(new ElectionEvent.Started());
        e.handle(new ElectionEvent.MembersSeen(List.of()));
        assertThat(e.handle(new ElectionEvent.Shutdown()))
                .containsExactly(new ElectionAction.DeEscalate("shutdown"), new ElectionAction.Publish());
        assertThat(e.handle(new ElectionEvent.MembersSeen(List.of()))).as("no way back from shutdown").isEmpty();
        assertThat(e.presentCount()).isZero();
    }
}
