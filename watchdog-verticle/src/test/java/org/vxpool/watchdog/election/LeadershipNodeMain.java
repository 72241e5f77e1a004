package org.vxpool.watchdog.election;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.vxpool.watchdog.vip.VipCommands;
import org.vxpool.watchdog.vip.VipSettings;

/**
 * One watchdog node in its own JVM, for the network-namespace tests: clustered Vert.x plus
 * {@link ClusterLeadership} with the real delegate-IP commands. SIGTERM stops it gracefully.
 *
 * <p>Arguments: clusterName selfIndex halfVotes delegateIp device trustedServer member... where
 * trustedServer is an address or {@code -} for none, and each member is {@code host:hazelcastPort}.
 */
public final class LeadershipNodeMain {
    private LeadershipNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        String clusterName = args[0];
        int self = Integer.parseInt(args[1]);
        boolean halfVotes = Boolean.parseBoolean(args[2]);
        String delegateIp = args[3];
        String device = args[4];
        List<String> trusted = args[5].equals("-") ? List.of() : List.of(args[5]);
        List<String> members = Arrays.asList(args).subList(6, args.length);
        String[] me = members.get(self).split(":");

        List<LeadershipSettings.Peer> others = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            if (i != self) {
                String[] hp = members.get(i).split(":");
                others.add(new LeadershipSettings.Peer(hp[0], Integer.parseInt(hp[1]), 9999));
            }
        }
        VipSettings vip = VipCommands.resolve(new VipCommands.Params(delegateIp, "/sbin", null, null, "/usr/sbin",
                null, "", "", device, 24, me[0], Duration.ofSeconds(10)));
        LeadershipSettings settings = new LeadershipSettings(
                new LeadershipSettings.Peer(me[0], Integer.parseInt(me[1]), 9999), others, 1, halfVotes, false,
                Duration.ofSeconds(1), trusted, VipCommands.locate("/bin", "ping") + " -q -c1 -W1 %h", vip);

        ClusteredNode node = ClusteredNode.start(clusterName, me[0], Integer.parseInt(me[1]), members);
        ClusterLeadership leadership = new ClusterLeadership(node.vertx, node.manager.getHazelcastInstance(), settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                leadership.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                System.out.println("vxpool-node stopped");
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        node.vertx.getOrCreateContext().runOnContext(v -> leadership.start()
                .onSuccess(x -> System.out.println("vxpool-node started " + leadership.state())));
        stopped.await();
    }
}
