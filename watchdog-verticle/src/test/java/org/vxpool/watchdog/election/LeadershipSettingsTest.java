package org.vxpool.watchdog.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.vxpool.common.config.ConfigLoader;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.watchdog.vip.VipCommands;
import org.vxpool.watchdog.vip.VipSettings;

/** The shipped samples and a few inline files, read into what the election needs. */
class LeadershipSettingsTest {
    private static final Path CONF = Path.of("..", "conf");

    @Test
    void tutorialPairIn32StyleKeepsTheSurvivorRule() {
        LeadershipSettings s = LeadershipSettings.from(ConfigLoader.load(CONF.resolve("osspc19.conf")));
        assertThat(s.self()).isEqualTo(new LeadershipSettings.Peer("osspc19", 9000, 9999));
        assertThat(s.others()).containsExactly(new LeadershipSettings.Peer("osspc20", 9000, 9999));
        assertThat(s.configuredMembers()).isEqualTo(2);
        assertThat(s.halfVotes()).as("3.x had no quorum: the survivor takes over").isTrue();
        assertThat(s.election(0).quorum(1)).isTrue();
        assertThat(s.interval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.witness()).isFalse();
        VipSettings vip = s.vip();
        assertThat(vip.delegateIp()).isEqualTo("192.168.100.200");
        assertThat(vip.ifUpCmd()).isEqualTo(VipCommands.locate("/sbin", "ip")
                + " addr add $_IP_$/24 dev eth0 label eth0:0");
        assertThat(vip.arpingCmd()).isEqualTo(VipCommands.locate("/usr/sbin", "arping") + " -U $_IP_$ -w 1 -I eth0");
        assertThat(vip.probeCmd()).endsWith("arping -D -c 1 -w 1 -I eth0 $_IP_$");
    }

    @Test
    void threeNodeSampleIn4xStyle() {
        PoolConfig config = ConfigLoader.load(CONF.resolve("vxpool-3node.conf"), OptionalInt.of(1));
        LeadershipSettings s = LeadershipSettings.from(config);
        assertThat(s.self().host()).isEqualTo("server2");
        assertThat(s.configuredMembers()).isEqualTo(3);
        assertThat(s.halfVotes()).isFalse();
        assertThat(s.trustedServers()).containsExactly("gateway1", "gateway2");
        assertThat(s.trustedServerCommand()).endsWith("ping -q -c1 -W1 %h");
        assertThat(s.vip().ifUpCmd()).as("absolute sudo command as written")
                .isEqualTo("/usr/bin/sudo /sbin/ip addr add $_IP_$/24 dev eth0 label eth0:0");
        assertThat(s.vip().probeCmd()).startsWith("/usr/bin/sudo ");
        assertThat(s.election(0).quorum(2)).isTrue();
        assertThat(s.election(0).quorum(1)).isFalse();
    }

    @Test
    void witnessHalfVotesPriorityAndCommandsFromTheFile() {
        PoolConfig config = PoolConfig.parse(String.join("\n",
                "backend_hostname0 = '127.0.0.1'", "backend_port0 = 5432",
                "use_watchdog = on",
                "hostname0 = 'db1'", "wd_port0 = 9000", "pgpool_port0 = 9999",
                "hostname1 = 'db2'", "wd_port1 = 9000", "pgpool_port1 = 9999",
                "hostname2 = 'witness'", "wd_port2 = 9000", "pgpool_port2 = 9999",
                "wd_priority = 7",
                "proxy_enabled = off",
                "enable_consensus_with_half_votes = on",
                "delegate_ip = '10.0.0.50'",
                "if_up_cmd = 'ip addr add $_IP_$/16 dev ens3 label ens3:1'",
                "wd_escalation_command = '/etc/vxpool/escalate.sh'",
                "trusted_server_command = 'nc -z %h 53'",
                "trusted_servers = 'dns1'",
                ""), "inline.conf", OptionalInt.of(2));
        LeadershipSettings s = LeadershipSettings.from(config);
        assertThat(s.witness()).isTrue();
        assertThat(s.halfVotes()).isTrue();
        assertThat(s.priority()).isEqualTo(7);
        assertThat(s.trustedServerCommand()).isEqualTo("nc -z %h 53");
        assertThat(s.vip().escalationCmd()).isEqualTo("/etc/vxpool/escalate.sh");
        assertThat(s.vip().ifDownCmd()).as("unset: built for the device of if_up_cmd")
                .isEqualTo(VipCommands.locate("/sbin", "ip") + " addr del $_IP_$/16 dev ens3");
        assertThat(s.vip().probeCmd()).contains("-I ens3 $_IP_$");
    }
}
