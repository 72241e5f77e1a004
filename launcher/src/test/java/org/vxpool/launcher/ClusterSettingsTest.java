package org.vxpool.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import org.junit.jupiter.api.Test;
import org.vxpool.common.config.PoolConfig;

class ClusterSettingsTest {

    /** The tutorial's 3.2 style: this node's wd_* plus the other node's other_*. */
    private static final String TUTORIAL_NODE = """
            backend_hostname0 = '127.0.0.1'
            use_watchdog = on
            wd_hostname = '127.0.0.1'
            wd_port = 9000
            wd_interval = 3
            wd_heartbeat_deadtime = 10
            other_pgpool_hostname0 = '127.0.0.2'
            other_pgpool_port0 = 9999
            other_wd_port0 = 9001
            """;

    @Test
    void hazelcastConfigFromATutorialPoolConfig() throws Exception {
        ClusterSettings settings = ClusterSettings.from(PoolConfig.parse(TUTORIAL_NODE, "osspc19.conf")).orElseThrow();
        Config config = HazelcastConfigFactory.create(settings);

        assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
                .containsExactlyInAnyOrder("127.0.0.1:9000", "127.0.0.2:9001");
        assertThat(config.getNetworkConfig().getPort()).isEqualTo(9000);
        assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
        assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("3");
        assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("10");
        assertThat(config.getClusterName()).isEqualTo("vxpool");
    }

    @Test
    void noClusterWithoutTheWatchdog() {
        PoolConfig standalone = PoolConfig.parse("backend_hostname0 = '127.0.0.1'\n", "solo.conf");
        assertThat(ClusterSettings.from(standalone)).isEmpty();
    }

    @Test
    void nodesWithDifferentAuthKeysLandInDifferentClustersAndTheKeyStaysSecret() {
        String a = ClusterSettings.clusterName("secret-a");
        String b = ClusterSettings.clusterName("secret-b");
        assertThat(a).startsWith("vxpool-").isNotEqualTo(b).doesNotContain("secret");
        assertThat(ClusterSettings.clusterName("secret-a")).isEqualTo(a);
        String withKey = TUTORIAL_NODE + "wd_authkey = 'secret-a'\n";
        assertThat(ClusterSettings.from(PoolConfig.parse(withKey, "n.conf")).orElseThrow().clusterName()).isEqualTo(a);
    }
}
