package org.vxpool.watchdog.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vxpool.watchdog.vip.VipSettings;

class WatchdogInfoTest {
    private static final VipSettings VIP = new VipSettings("10.0.0.9", "", "", "", "", "", "", Duration.ofSeconds(1));

    private static LeadershipSettings settings(boolean halfVotes) {
        return new LeadershipSettings(new LeadershipSettings.Peer("h1", 9000, 9999),
                List.of(new LeadershipSettings.Peer("h2", 9000, 9999), new LeadershipSettings.Peer("h3", 9000, 9999)),
                1, halfVotes, false, Duration.ofSeconds(1), List.of(), "", VIP);
    }

    @Test
    void leaderViewListsEveryConfiguredMemberWithQuorumAndVip() {
        LeadershipSettings s = settings(false);
        Election e = new Election(s.election(1));
        MemberInfo h2 = new MemberInfo("u2", "h2:9999", "h2", 9000, 9999, 1, WatchdogState.STANDBY, 5, 0, false, false);
        e.handle(new ElectionEvent.Started());
        e.handle(new ElectionEvent.MembersSeen(List.of(h2)));
        e.handle(new ElectionEvent.VipProbed(true));
        MemberInfo self = new MemberInfo("u1", "h1:9999", "h1", 9000, 9999, 1, e.state(), 1, e.epoch(), true, false);

        JsonObject info = WatchdogInfo.of(s, e, self, List.of(h2));
        assertThat(info.getInteger("totalNodes")).isEqualTo(3);
        assertThat(info.getLong("aliveRemoteNodes")).isEqualTo(1);
        assertThat(info.getInteger("nodesRequiredForQuorum")).isEqualTo(2);
        assertThat(info.getString("quorumState")).isEqualTo("QUORUM EXIST");
        assertThat(info.getBoolean("vipUpOnLocalNode")).isTrue();
        assertThat(info.getString("leaderNodeName")).isEqualTo("h1:9999");
        assertThat(info.getString("leaderHostName")).isEqualTo("h1");
        assertThat(info.getJsonArray("members").stream().map(m -> ((JsonObject) m).getString("state")))
                .containsExactly("LEADER", "STANDBY", "LOST");
    }

    @Test
    void exactlyHalfWithHalfVotesIsOnTheEdge() {
        LeadershipSettings s = new LeadershipSettings(new LeadershipSettings.Peer("h1", 9000, 9999),
                List.of(new LeadershipSettings.Peer("h2", 9000, 9999)), 1, true, false, Duration.ofSeconds(1),
                List.of(), "", VIP);
        Election e = new Election(s.election(1));
        e.handle(new ElectionEvent.Started());
        e.handle(new ElectionEvent.MembersSeen(List.of()));
        MemberInfo self = new MemberInfo("u1", "h1:9999", "h1", 9000, 9999, 1, e.state(), 1, e.epoch(), false, false);
        JsonObject info = WatchdogInfo.of(s, e, self, List.of());
        assertThat(info.getString("quorumState")).isEqualTo("QUORUM IS ON THE EDGE");
        assertThat(info.getInteger("nodesRequiredForQuorum")).isEqualTo(1);
    }
}
