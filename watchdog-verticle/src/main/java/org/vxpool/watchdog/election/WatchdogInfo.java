package org.vxpool.watchdog.election;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * This node's view of the watchdog cluster as JSON, with the content of pgpool's
 * {@code pcp_watchdog_info -v}. Configured members that are not visible are listed as {@code LOST}.
 */
public final class WatchdogInfo {
    private WatchdogInfo() {
    }

    public static JsonObject of(LeadershipSettings settings, Election election, MemberInfo self,
            List<MemberInfo> others) {
        ElectionSettings es = election.settings();
        int present = election.presentCount();
        boolean quorum = election.hasQuorum();
        String quorumState = !quorum ? "QUORUM ABSENT"
                : present * 2 == es.configuredMembers() ? "QUORUM IS ON THE EDGE" : "QUORUM EXIST";
        List<MemberInfo> all = new ArrayList<>();
        all.add(self);
        all.addAll(others);
        String leaderName = election.leaderName();
        String leaderHost = all.stream().filter(m -> m.name().equals(leaderName)).map(MemberInfo::host)
                .findFirst().orElse("");
        JsonArray members = new JsonArray();
        members.add(self.toJson().put("local", true).put("visible", true));
        for (MemberInfo m : others) {
            members.add(m.toJson().put("local", false).put("visible", true));
        }
        for (LeadershipSettings.Peer peer : settings.others()) {
            boolean seen = others.stream().anyMatch(m -> m.host().equals(peer.host()) && m.wdPort() == peer.wdPort());
            if (!seen) {
                members.add(new JsonObject().put("name", peer.name()).put("host", peer.host())
                        .put("wdPort", peer.wdPort()).put("pgpoolPort", peer.pgpoolPort()).put("state", "LOST")
                        .put("holdsVip", false).put("local", false).put("visible", false));
            }
        }
        long aliveRemote = others.stream().filter(m -> m.state() != WatchdogState.SHUTDOWN).count();
        return new JsonObject()
                .put("totalNodes", es.configuredMembers())
                .put("remoteNodes", es.configuredMembers() - 1)
                .put("aliveRemoteNodes", aliveRemote)
                .put("nodesRequiredForQuorum", es.requiredForQuorum())
                .put("quorum", quorum)
                .put("quorumState", quorumState)
                .put("localNodeEscalation", election.isLeader())
                .put("vipUpOnLocalNode", self.holdsVip())
                .put("delegateIp", settings.vip().delegateIp())
                .put("leaderNodeName", leaderName)
                .put("leaderHostName", leaderHost)
                .put("localNodeName", self.name())
                .put("localState", self.state().name())
                .put("epoch", election.epoch())
                .put("members", members);
    }
}
