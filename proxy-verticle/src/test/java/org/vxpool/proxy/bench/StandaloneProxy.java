package org.vxpool.proxy.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import org.vxpool.common.Addresses;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.proxy.ProxySettings;
import org.vxpool.proxy.ProxyVerticle;
import org.vxpool.proxy.routing.RoutingSettings;
import org.vxpool.proxy.session.ClientTls;
import org.vxpool.proxy.session.TrustPassThroughAuthenticator;

/**
 * Runs ProxyVerticle alone in front of fixed backends, for benchmarks and manual tests:
 * {@code StandaloneProxy <listenPort> <host:port of primary> [host:port of standby...]}.
 * Options as system properties: {@code instances} (event loops and proxy instances, default: one
 * per core, as the launcher), {@code num_init_children} (default 256), {@code max_pool} (default 4),
 * {@code native} (epoll transport, default true as in the launcher), {@code load_balance} (reads to
 * the standbys by weight, pgpool's defaults otherwise; default false), {@code pool_mode}
 * ({@code session}, the default, or {@code transaction} with {@code default_pool_size}, default 20,
 * {@code tx_pipeline_depth}, default 4, and {@code tx_pipeline_max_age}, default 10 ms),
 * {@code transport} ({@code io_uring}, {@code epoll} or {@code nio}: that transport or fail; the
 * io_uring jar must then be on the class path, see bench/cpu-per-tx.sh), {@code spin_us} (epoll event
 * loops that keep polling for that many microseconds after a wake-up before they block, see
 * {@link SpinSelectStrategy}; {@code spin_yield=true} yields the CPU between polls),
 * {@code accept_on_loop} (accept on an event loop instead of Vert.x's acceptor thread).
 */
public final class StandaloneProxy {
    private StandaloneProxy() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        List<BackendNode> nodes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String[] hp = args[i].split(":");
            nodes.add(new BackendNode(i - 1, hp[0], Integer.parseInt(hp[1]), 1, NodeStatus.UP,
                    i == 1 ? NodeRole.PRIMARY : NodeRole.STANDBY, 0));
        }
        ClusterView view = new ClusterView(1, nodes);
        int instances = Integer.getInteger("instances", Runtime.getRuntime().availableProcessors());
        VertxOptions options = new VertxOptions().setEventLoopPoolSize(instances)
                .setPreferNativeTransport(Boolean.parseBoolean(System.getProperty("native", "true")))
                // a measuring switch only: off, as in the launcher (docs/BENCHMARKS.md, flags9)
                .setDisableTCCL(Boolean.getBoolean("vxpool.disable_tccl"));
        String transport = System.getProperty("transport", "");
        long spinMicros = Long.getLong("spin_us", 0);
        boolean acceptOnLoop = Boolean.getBoolean("accept_on_loop");
        boolean tuned = spinMicros > 0 || acceptOnLoop;
        Vertx vertx = transport.isEmpty() && !tuned ? Vertx.vertx(options)
                : Vertx.builder().with(options).withTransport(switch (tuned ? "tuned" : transport) {
                    case "tuned" -> ExperimentalEpoll.create(spinMicros * 1000, Boolean.getBoolean("spin_yield"), acceptOnLoop);
                    case "io_uring" -> Transport.IO_URING;
                    case "epoll" -> Transport.EPOLL;
                    case "nio" -> Transport.NIO;
                    default -> throw new IllegalArgumentException("transport: expected io_uring, epoll or nio, got " + transport);
                }).build();
        vertx.eventBus().<JsonObject>localConsumer(Addresses.CLUSTER_VIEW_GET, m -> m.reply(view.toJson()));
        ProxySettings base = ProxySettings.defaults("127.0.0.1", port)
                .withNumInitChildren(Integer.getInteger("num_init_children", 256))
                .withMaxPool(Integer.getInteger("max_pool", 4));
        ProxySettings settings = poolMode(base, System.getProperty("pool_mode", "session"));
        boolean balance = Boolean.getBoolean("load_balance");
        vertx.deployVerticle(() -> balance
                ? new ProxyVerticle(settings, new TrustPassThroughAuthenticator(), ClientTls.NONE, null, RoutingSettings.defaults())
                : new ProxyVerticle(settings), new DeploymentOptions().setInstances(instances)).await();
        System.out.println("vxpool proxy listening on 127.0.0.1:" + port + " (" + instances + " instances, "
                + ((io.vertx.core.internal.VertxInternal) vertx).transport().getClass().getSimpleName() + ")");
        Thread.currentThread().join();
    }

    private static ProxySettings poolMode(ProxySettings settings, String mode) {
        return switch (mode) {
            case "session" -> settings;
            case "transaction" -> settings.withTransactionPooling(Integer.getInteger("default_pool_size", 20), 30_000)
                    .withTxPipelineDepth(Integer.getInteger("tx_pipeline_depth", ProxySettings.DEFAULT_TX_PIPELINE_DEPTH))
                    .withTxPipelineMaxAge(Integer.getInteger("tx_pipeline_max_age", ProxySettings.DEFAULT_TX_PIPELINE_MAX_AGE));
            default -> throw new IllegalArgumentException("pool_mode: expected session or transaction, got " + mode);
        };
    }
}
