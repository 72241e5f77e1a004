package org.vxpool.watchdog.election;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vxpool.common.config.Param;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.config.WatchdogConfig;
import org.vxpool.common.config.WatchdogMember;
import org.vxpool.watchdog.vip.VipCommands;
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

    /** Bound of each escalation / de-escalation command. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern PREFIX_LENGTH = Pattern.compile(Pattern.quote(VipCommands.IP_PLACEHOLDER) + "/(\\d{1,2})");

    /**
     * From pgpool.conf: the members, {@code wd_priority}, {@code enable_consensus_with_half_votes},
     * {@code proxy_enabled} (off = witness), {@code wd_interval}, {@code trusted_servers} and the
     * delegate-IP settings. Commands left at pgpool's defaults (which name eth0) are built for the
     * interface that holds this node's own watchdog address instead; an {@code if_up_cmd} with
     * {@code dev X} names the interface for the ARP commands too.
     *
     * <p>It may resolve this node's host name to find that interface: call it before deploying,
     * not on an event loop.
     */
    public static LeadershipSettings from(PoolConfig config) {
        WatchdogConfig wd = config.watchdog();
        Peer self = peer(wd.self());
        List<Peer> others = wd.others().stream().map(LeadershipSettings::peer).toList();
        String trustedCommand = config.isSet(Params.TRUSTED_SERVER_COMMAND)
                ? config.get(Params.TRUSTED_SERVER_COMMAND)
                : VipCommands.locate(config.get(Params.PING_PATH), "ping") + " -q -c1 -W1 %h";
        List<String> trusted = config.get(Params.TRUSTED_SERVERS).stream().map(String::strip)
                .filter(h -> !h.isEmpty()).toList();
        String ifUp = setOrNull(config, Params.IF_UP_CMD);
        int prefixLength = 24;
        if (ifUp != null) {
            Matcher m = PREFIX_LENGTH.matcher(ifUp);
            if (m.find()) {
                prefixLength = Integer.parseInt(m.group(1));
            }
        }
        VipSettings vip = VipCommands.resolve(new VipCommands.Params(wd.delegateIp().orElse(""),
                config.get(Params.IF_CMD_PATH), ifUp, setOrNull(config, Params.IF_DOWN_CMD),
                config.get(Params.ARPING_PATH), setOrNull(config, Params.ARPING_CMD),
                config.get(Params.WD_ESCALATION_COMMAND), config.get(Params.WD_DE_ESCALATION_COMMAND), "",
                prefixLength, self.host(), COMMAND_TIMEOUT));
        return new LeadershipSettings(self, others, config.get(Params.WD_PRIORITY), halfVotes(config),
                !config.get(Params.PROXY_ENABLED),
                config.duration(Params.WD_INTERVAL), trusted, trustedCommand, vip);
    }

    /**
     * pgpool 3.x had no quorum: of a 2-node pair the survivor always took over. A 3.x-style file
     * ({@code wd_hostname}) that does not set {@code enable_consensus_with_half_votes} keeps that
     * behaviour by counting half the votes as a quorum; 4.x files get pgpool 4's default (off).
     */
    static boolean halfVotes(PoolConfig config) {
        if (config.isSet(Params.ENABLE_CONSENSUS_WITH_HALF_VOTES)) {
            return config.get(Params.ENABLE_CONSENSUS_WITH_HALF_VOTES);
        }
        return config.isSet(Params.WD_HOSTNAME);
    }

    private static Peer peer(WatchdogMember m) {
        return new Peer(m.host(), m.wdPort(), m.pgpoolPort());
    }

    private static String setOrNull(PoolConfig config, Param<String> param) {
        return config.isSet(param) && !config.get(param).isBlank() ? config.get(param) : null;
    }

    public int configuredMembers() {
        return others.size() + 1;
    }

    ElectionSettings election(long startTime) {
        return new ElectionSettings(self.name(), priority, startTime, configuredMembers(), halfVotes, witness,
                vip.hasDelegateIp(), !trustedServers.isEmpty());
    }
}
