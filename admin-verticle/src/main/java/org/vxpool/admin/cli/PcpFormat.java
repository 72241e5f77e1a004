package org.vxpool.admin.cli;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** The output of pgpool 4.3's pcp tools, from the admin API's JSON. Pure, for tests. */
final class PcpFormat {
    private PcpFormat() {
    }

    /** pgpool's backend status numbers (CON_UNUSED, CON_CONNECT_WAIT, CON_UP, CON_DOWN). */
    private static final Map<String, Integer> STATUS = Map.of("unused", 0, "waiting", 1, "up", 2, "down", 3,
            "quarantine", 3);

    /** pgpool's watchdog state numbers, for the states vxpool shares with it. */
    private static final Map<String, Integer> WD_STATE = Map.of("LOADING", 1, "JOINING", 2, "LEADER", 4,
            "STANDBY", 7, "LOST", 8, "IN_NETWORK_TROUBLE", 9, "SHUTDOWN", 10);

    /** pcp_node_info, one line: {@code host port status weight status_name pg_status role pg_role delay state sync last_change}. */
    static String nodeLine(JsonObject n) {
        return String.join(" ", n.getString("hostname"), String.valueOf(n.getValue("port")),
                String.valueOf(status(n)), n.getString("lb_weight"), n.getString("status"), n.getString("pg_status"),
                n.getString("role"), n.getString("pg_role"), String.valueOf(n.getValue("replication_delay")),
                orNone(n.getString("replication_state")), orNone(n.getString("replication_sync_state")),
                n.getString("last_status_change"));
    }

    /** pcp_node_info -v. */
    static String nodeVerbose(JsonObject n) {
        return String.join("\n",
                "Hostname               : " + n.getString("hostname"),
                "Port                   : " + n.getValue("port"),
                "Status                 : " + status(n),
                "Weight                 : " + n.getString("lb_weight"),
                "Status Name            : " + n.getString("status"),
                "Backend Status Name    : " + n.getString("pg_status"),
                "Role                   : " + n.getString("role"),
                "Backend Role           : " + n.getString("pg_role"),
                "Replication Delay      : " + n.getValue("replication_delay"),
                "Replication State      : " + orNone(n.getString("replication_state")),
                "Replication Sync State : " + orNone(n.getString("replication_sync_state")),
                "Last Status Change     : " + n.getString("last_status_change")) + "\n";
    }

    /** pcp_watchdog_info: a summary line, then one line per member. */
    static String watchdog(JsonObject w) {
        StringBuilder out = new StringBuilder();
        out.append(w.getInteger("totalNodes")).append(' ').append(alive(w)).append(' ')
                .append(escalation(w)).append(' ').append(notSet(w.getString("leaderNodeName"))).append(' ')
                .append(notSet(w.getString("leaderHostName"))).append("\n\n");
        for (JsonObject m : members(w)) {
            out.append(String.join(" ", m.getString("name"), m.getString("host"), String.valueOf(m.getValue("pgpoolPort")),
                    String.valueOf(m.getValue("wdPort")), String.valueOf(wdState(m)), m.getString("state"))).append('\n');
        }
        return out.toString();
    }

    /** pcp_watchdog_info -v. */
    static String watchdogVerbose(JsonObject w) {
        StringBuilder out = new StringBuilder("Watchdog Cluster Information \n")
                .append("Total Nodes              : ").append(w.getInteger("totalNodes")).append('\n')
                .append("Remote Nodes             : ").append(w.getInteger("remoteNodes")).append('\n')
                .append("Alive Remote Nodes       : ").append(w.getInteger("aliveRemoteNodes")).append('\n')
                .append("Nodes required for quorum: ").append(w.getValue("nodesRequiredForQuorum")).append('\n')
                .append("Quorum state             : ").append(w.getString("quorumState")).append('\n')
                .append("Local node escalation    : ").append(escalation(w)).append('\n')
                .append("Leader Node Name         : ").append(notSet(w.getString("leaderNodeName"))).append('\n')
                .append("Leader Host Name         : ").append(notSet(w.getString("leaderHostName"))).append('\n')
                .append("Delegate IP              : ").append(notSet(w.getString("delegateIp"))).append('\n')
                .append('\n').append("Watchdog Node Information \n");
        for (JsonObject m : members(w)) {
            out.append("Node Name         : ").append(m.getString("name")).append('\n')
                    .append("Host Name         : ").append(m.getString("host")).append('\n')
                    .append("Pgpool port       : ").append(m.getValue("pgpoolPort")).append('\n')
                    .append("Watchdog port     : ").append(m.getValue("wdPort")).append('\n')
                    .append("Node priority     : ").append(m.getValue("priority")).append('\n')
                    .append("Status            : ").append(wdState(m)).append('\n')
                    .append("Status Name       : ").append(m.getString("state")).append('\n')
                    .append("Holds VIP         : ").append(m.getBoolean("holdsVip", false) ? "YES" : "NO").append("\n\n");
        }
        return out.toString();
    }

    private static int status(JsonObject n) {
        return STATUS.getOrDefault(n.getString("status"), 0);
    }

    private static int wdState(JsonObject m) {
        return WD_STATE.getOrDefault(m.getString("state"), 0);
    }

    private static String escalation(JsonObject w) {
        return w.getBoolean("localNodeEscalation", false) ? "YES" : "NO";
    }

    private static int alive(JsonObject w) {
        return w.getInteger("aliveRemoteNodes", 0) + 1;
    }

    private static List<JsonObject> members(JsonObject w) {
        return w.getJsonArray("members", new io.vertx.core.json.JsonArray()).stream().map(JsonObject.class::cast).toList();
    }

    private static String notSet(String s) {
        return s == null || s.isEmpty() ? "Not_Set" : s;
    }

    private static String orNone(String s) {
        return s == null || s.isEmpty() ? "none" : s;
    }
}
