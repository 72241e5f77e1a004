package org.vxpool.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Builds the Hazelcast member configuration of one vxpool node from its watchdog settings. */
public final class HazelcastConfigFactory {

    /** Merging split clusters quickly matters more to a watchdog than Hazelcast's 5-minute default. */
    static final int MERGE_DELAY_SECONDS = 5;

    private HazelcastConfigFactory() {
    }

    /**
     * Starts from Vert.x's own cluster definition (it declares the maps the event bus needs) and
     * replaces everything about discovery and networking: the configured members only, over TCP.
     *
     * @throws UnknownHostException when the node's own host does not resolve; Hazelcast binds to
     *     interfaces by address, not by name
     */
    public static Config create(ClusterSettings settings) throws UnknownHostException {
        Config config = ConfigUtil.loadConfig();
        config.setClusterName(settings.clusterName());
        configureNetwork(config.getNetworkConfig(), settings);
        configureProperties(config, settings);
        return config;
    }

    private static void configureNetwork(NetworkConfig network, ClusterSettings settings)
            throws UnknownHostException {
        String address = InetAddress.getByName(settings.host()).getHostAddress();
        network.setPort(settings.port());
        // A busy wd_port must fail the start, not move this member to a port nobody lists.
        network.setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).clear().addInterface(address);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getAwsConfig().setEnabled(false);
        join.getKubernetesConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
    }

    private static void configureProperties(Config config, ClusterSettings settings) {
        int interval = Math.max(1, settings.heartbeatIntervalSeconds());
        // Hazelcast needs at least one missed heartbeat before it may declare a member dead.
        int deadtime = Math.max(interval + 1, settings.heartbeatDeadtimeSeconds());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(interval));
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(deadtime));
        config.setProperty("hazelcast.merge.first.run.delay.seconds", Integer.toString(MERGE_DELAY_SECONDS));
        config.setProperty("hazelcast.merge.next.run.delay.seconds", Integer.toString(MERGE_DELAY_SECONDS));
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.discovery.enabled", "false");
        // Tests and the watchdog keep all traffic on the configured network: no call home.
        config.setProperty("hazelcast.phone.home.enabled", "false");
        // The launcher leaves the cluster through vertx.close(); Hazelcast's own hook would race it.
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.health.monitoring.level", "OFF");
    }
}
