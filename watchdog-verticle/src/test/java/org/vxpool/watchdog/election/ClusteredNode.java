package org.vxpool.watchdog.election;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x instance clustered on Hazelcast (on 127.0.0.1 unless told otherwise), set up the way the launcher does it for
 * a real node: TCP-IP join to the configured members only, no multicast, no auto-detection, a 1 s
 * heartbeat and a 5 s deadline.
 */
public final class ClusteredNode {
    final int port;
    final Vertx vertx;
    final HazelcastClusterManager manager;

    private ClusteredNode(int port, Vertx vertx, HazelcastClusterManager manager) {
        this.port = port;
        this.vertx = vertx;
        this.manager = manager;
    }

    static List<Integer> freePorts(int n) throws IOException {
        List<Integer> ports = new ArrayList<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports.add(s.getLocalPort());
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }

    static ClusteredNode start(String clusterName, int port, List<Integer> memberPorts) throws Exception {
        return start(clusterName, "127.0.0.1", port, memberPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    }

    /** @param members {@code host:port} of every configured member */
    static ClusteredNode start(String clusterName, String host, int port, List<String> members) throws Exception {
        Config config = hazelcastConfig(clusterName, host, port, members);
        HazelcastClusterManager manager = new HazelcastClusterManager(config);
        VertxOptions options = new VertxOptions()
                .setEventBusOptions(new EventBusOptions().setHost(host).setPort(0));
        Vertx vertx = Vertx.builder().with(options).withClusterManager(manager).buildClustered()
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        return new ClusteredNode(port, vertx, manager);
    }

    /**
     * The Hazelcast settings a launched node uses (see the launcher's HazelcastConfigFactory),
     * for tests that build their own clustered Vert.x.
     *
     * @param members {@code host:port} of every configured member
     */
    public static Config hazelcastConfig(String clusterName, String host, int port, List<String> members) {
        Config config = ConfigUtil.loadConfig();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        config.setProperty("hazelcast.socket.bind.any", "false");
        // The node stops its leadership (releasing the delegate IP) in its own hook first; Hazelcast's
        // hook would terminate the member underneath it.
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(host);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1);
        members.forEach(m -> join.getTcpIpConfig().addMember(m));
        return config;
    }

    /** Leaves the cluster the normal way (graceful Hazelcast shutdown). */
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** Like a kill -9 of the JVM as far as the cluster can tell: no goodbye to the others. */
    void crash() throws Exception {
        manager.getHazelcastInstance().getLifecycleService().terminate();
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
