package org.vxpool.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class PcpFormatTest {

    private static final JsonObject WATCHDOG = new JsonObject()
            .put("totalNodes", 2).put("remoteNodes", 1).put("aliveRemoteNodes", 1L).put("nodesRequiredForQuorum", 1)
            .put("quorumState", "QUORUM EXIST").put("localNodeEscalation", true).put("delegateIp", "10.0.0.50")
            .put("leaderNodeName", "osspc19:9999").put("leaderHostName", "osspc19")
            .put("members", new JsonArray()
                    .add(new JsonObject().put("name", "osspc19:9999").put("host", "osspc19").put("pgpoolPort", 9999)
                            .put("wdPort", 9000).put("priority", 1).put("state", "LEADER").put("holdsVip", true))
                    .add(new JsonObject().put("name", "osspc20:9999").put("host", "osspc20").put("pgpoolPort", 9999)
                            .put("wdPort", 9000).put("priority", 1).put("state", "LOST").put("holdsVip", false)));

    @Test
    void watchdogInfoPrintsTheSummaryAndOneLinePerMemberWithPgpoolStateNumbers() {
        assertThat(PcpFormat.watchdog(WATCHDOG)).isEqualTo("""
                2 2 YES osspc19:9999 osspc19

                osspc19:9999 osspc19 9999 9000 4 LEADER
                osspc20:9999 osspc20 9999 9000 8 LOST
                """);
    }

    @Test
    void verboseWatchdogInfoNamesEveryField() {
        assertThat(PcpFormat.watchdogVerbose(WATCHDOG)).contains("Quorum state             : QUORUM EXIST\n",
                "Leader Node Name         : osspc19:9999\n", "Delegate IP              : 10.0.0.50\n",
                "Status Name       : LOST\n", "Holds VIP         : YES\n");
    }

    @Test
    void aLeaderlessClusterSaysNotSet() {
        JsonObject noLeader = WATCHDOG.copy().putNull("leaderNodeName").putNull("leaderHostName");
        assertThat(PcpFormat.watchdog(noLeader)).startsWith("2 2 YES Not_Set Not_Set\n");
    }
}
