package org.vxpool.watchdog.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vxpool.watchdog.failover.FailoverVotes.Decision.FAILOVER;
import static org.vxpool.watchdog.failover.FailoverVotes.Decision.QUARANTINE;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailoverVotesTest {
    private static final Duration WINDOW = Duration.ofSeconds(30);

    private static final int OF_THREE = FailoverVotes.required(3, false);

    private static FailoverVotes votes(boolean allowMultiple) {
        return new FailoverVotes(new FailoverVotes.Rules(true, true, allowMultiple, WINDOW));
    }

    @ParameterizedTest(name = "{0} members, half votes {1}: {2} needed")
    @CsvSource({"1,false,1", "2,false,2", "2,true,1", "3,false,2", "3,true,2", "4,false,3", "4,true,2", "5,true,3"})
    void requiredVotesAreMoreThanHalfOrExactlyHalfWhenAllowed(int members, boolean half, int needed) {
        assertThat(FailoverVotes.required(members, half)).isEqualTo(needed);
    }

    @Test
    void threeMembersNeedTwoDistinctVoters() {
        FailoverVotes v = votes(false);
        assertThat(v.vote(1, "a", 0, OF_THREE, true)).isEqualTo(QUARANTINE);
        assertThat(v.vote(1, "b", 1000, OF_THREE, true)).isEqualTo(FAILOVER);
        assertThat(v.count(1, 1000)).as("a failover clears the tally").isZero();
    }

    @Test
    void twoMembersNeedBothUnlessHalfVotesAreEnough() {
        assertThat(votes(false).vote(0, "a", 0, FailoverVotes.required(2, false), true)).isEqualTo(QUARANTINE);
        assertThat(votes(false).vote(0, "a", 0, FailoverVotes.required(2, true), true)).isEqualTo(FAILOVER);
    }

    @Test
    void repeatedVotesFromOneMemberCountOnceUnlessAllowed() {
        FailoverVotes once = votes(false);
        assertThat(once.vote(1, "a", 0, OF_THREE, true)).isEqualTo(QUARANTINE);
        assertThat(once.vote(1, "a", 100, OF_THREE, true)).isEqualTo(QUARANTINE);
        assertThat(once.count(1, 100)).isEqualTo(1);

        FailoverVotes multiple = votes(true);
        assertThat(multiple.vote(1, "a", 0, OF_THREE, true)).isEqualTo(QUARANTINE);
        assertThat(multiple.vote(1, "a", 100, OF_THREE, true)).isEqualTo(FAILOVER);
    }

    @Test
    void votesExpireAfterTheWindow() {
        FailoverVotes v = votes(false);
        assertThat(v.vote(1, "a", 0, OF_THREE, true)).isEqualTo(QUARANTINE);
        assertThat(v.vote(1, "b", WINDOW.toMillis() + 1, OF_THREE, true)).isEqualTo(QUARANTINE);
        assertThat(v.count(1, WINDOW.toMillis() + 1)).isEqualTo(1);
        assertThat(v.vote(1, "a", WINDOW.toMillis() + 2, OF_THREE, true)).isEqualTo(FAILOVER);
    }

    @Test
    void aMemberThatSeesTheNodeHealthyWithdrawsItsVote() {
        FailoverVotes v = votes(false);
        v.vote(1, "a", 0, OF_THREE, true);
        v.vote(1, "b", 0, FailoverVotes.required(5, false), true);
        v.withdraw(1, "a");
        assertThat(v.count(1, 0)).isEqualTo(1);
    }

    @Test
    void votesAreCountedPerBackend() {
        FailoverVotes v = votes(false);
        assertThat(v.vote(1, "a", 0, OF_THREE, true)).isEqualTo(QUARANTINE);
        assertThat(v.vote(2, "b", 0, OF_THREE, true)).isEqualTo(QUARANTINE);
        v.clear(1);
        assertThat(v.vote(1, "b", 0, OF_THREE, true)).isEqualTo(QUARANTINE);
    }

    @Test
    void withoutQuorumNothingFailsOverWhenQuorumIsRequired() {
        FailoverVotes v = votes(false);
        assertThat(v.vote(1, "a", 0, OF_THREE, false)).isEqualTo(QUARANTINE);
        assertThat(v.vote(1, "b", 0, OF_THREE, false)).isEqualTo(QUARANTINE);
        assertThat(v.count(1, 0)).as("votes without quorum are not kept").isZero();

        FailoverVotes lax = new FailoverVotes(new FailoverVotes.Rules(true, false, false, WINDOW));
        assertThat(lax.vote(1, "a", 0, OF_THREE, false)).isEqualTo(QUARANTINE);
        assertThat(lax.vote(1, "b", 0, OF_THREE, false)).isEqualTo(FAILOVER);
    }

    @Test
    void withoutConsensusOneVoteFailsOver() {
        FailoverVotes v = new FailoverVotes(new FailoverVotes.Rules(false, false, false, WINDOW));
        assertThat(v.vote(1, "a", 0, OF_THREE, true)).isEqualTo(FAILOVER);
    }
}
