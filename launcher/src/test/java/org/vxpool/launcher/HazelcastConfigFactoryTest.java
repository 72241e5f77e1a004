package org.vxpool.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class HazelcastConfigFactoryTest {

    private static final ClusterSettings SETTINGS = new ClusterSettings("vxpool", "localhost", 9000,
            List.of("127.0.0.1:9000", "127.0.0.1:9001"), 3, 12);

    @Test
    void joinsTheConfiguredMembersOverTcpOnly() throws Exception {
        JoinConfig join = HazelcastConfigFactory.create(SETTINGS).getNetworkConfig().getJoin();
        assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
        assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:9000", "127.0.0.1:9001");
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
        assertThat(join.isAutoDetectionEnabled()).isFalse();
    }

    @Test
    void bindsTheResolvedHostOnTheWatchdogPortWithoutMoving() throws Exception {
        Config config = HazelcastConfigFactory.create(SETTINGS);
        NetworkConfig network = config.getNetworkConfig();
        assertThat(network.getPort()).isEqualTo(9000);
        assertThat(network.isPortAutoIncrement()).isFalse();
        assertThat(network.getInterfaces().isEnabled()).isTrue();
        assertThat(network.getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
        assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
        assertThat(config.getClusterName()).isEqualTo("vxpool");
    }

    @Test
    void heartbeatComesFromWdIntervalAndDeadtime() throws Exception {
        Config config = HazelcastConfigFactory.create(SETTINGS);
        assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("3");
        assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("12");
        assertThat(config.getProperty("hazelcast.logging.type")).isEqualTo("slf4j");
        assertThat(config.getProperty("hazelcast.merge.first.run.delay.seconds")).isEqualTo("5");
        assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    }

    @Test
    void aDeadlineShorterThanTheIntervalStillAllowsOneMissedHeartbeat() throws Exception {
        ClusterSettings odd = new ClusterSettings("vxpool", "127.0.0.1", 9000, List.of("127.0.0.1:9000"), 10, 5);
        assertThat(HazelcastConfigFactory.create(odd).getProperty("hazelcast.max.no.heartbeat.seconds"))
                .isEqualTo("11");
    }

    @Test
    void keepsTheMapsVertxNeeds() throws Exception {
        Config config = HazelcastConfigFactory.create(SETTINGS);
        assertThat(config.getMultiMapConfigs()).containsKey("__vertx.subs");
    }
}
