package org.vxpool.watchdog.election;

import java.time.Duration;
import java.util.List;
import org.vxpool.watchdog.vip.VipSettings;

/**
 * Everything {@link ClusterLeadership} needs from the configuration.
 *
 * @param self     this node as configured
 * @param others   the other configured members (the quorum base is {@code others.size() + 1})
 * @param interval {@code wd_interval}: how often trusted servers are checked and own info republished
 * @param trustedServerCommand {@code trusted_server_command} with {@code %h}
 */
public record LeadershipSettings(Peer self, List<Peer> others, int priority, boolean halfVotes, boolean witness,
        Duration interval, List<String> trustedServers, String trustedServerCommand, VipSettings vip) {

    /** A configured member. Its name is what operators see: {@code host:pgpoolPort}. */
    public record Peer(String host, int wdPort, int pgpoolPort) {
        public String name() {
            return host + ":" + pgpoolPort;
        }
    }

    public LeadershipSettings {
        others = List.copyOf(others);
        trustedServers = List.copyOf(trustedServers);
    }

    public int configuredMembers() {
        return others.size() + 1;
    }

    ElectionSettings election(long startTime) {
        return new ElectionSettings(self.name(), priority, startTime, configuredMembers(), halfVotes, witness,
                vip.hasDelegateIp(), !trustedServers.isEmpty());
    }
}
