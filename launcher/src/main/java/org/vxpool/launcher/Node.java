package org.vxpool.launcher;

import com.hazelcast.config.Config;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.admin.metrics.PoolMetrics;
import org.vxpool.common.ListenFailure;

/**
 * One running vxpool node: a Vert.x instance, clustered or not, and the verticles deployed on it.
 * Its methods block and are meant for the launcher's main and signal threads, never an event loop.
 *
 * <p>{@code Future.await()} rethrows a failure as it is, checked or not, hence the catches of
 * {@code Exception}.
 */
final class Node {

    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    /** How long a fast shutdown lets verticles stop before the node leaves regardless. */
    private static final long FAST_UNDEPLOY_SECONDS = 10;
    private static final long IMMEDIATE_CLOSE_SECONDS = 3;
    /** The epoll transport without an acceptor thread, or null for Vert.x's own choice. */
    private static final Transport TRANSPORT = AcceptOnEventLoops.choose();

    private final Vertx vertx;
    private final Deque<Deployed> deployed = new ArrayDeque<>();
    private PoolSwitch pool = new PoolSwitch(List.of());

    private record Deployed(String name, String id) {
    }

    private Node(Vertx vertx) {
        this.vertx = vertx;
    }

    Vertx vertx() {
        return vertx;
    }

    /**
     * Starts Vert.x (joining the cluster when settings are given) and deploys the verticles in
     * order. When one fails, what already started is undeployed and the cluster is left.
     */
    static Node start(Optional<ClusterSettings> cluster, List<VerticleSpec> verticles) throws LaunchException {
        return start(cluster, EventLoops.perCore(), new PoolSwitch(List.of()), verticles);
    }

    /**
     * As above, with the verticles the admin API can stop and start ({@code pool}) deployed first,
     * through the switch, and the others after them.
     */
    static Node start(Optional<ClusterSettings> cluster, PoolSwitch pool, List<VerticleSpec> verticles)
            throws LaunchException {
        return start(cluster, EventLoops.perCore(), pool, verticles);
    }

    /** As above, on {@code eventLoops} event loops. */
    static Node start(Optional<ClusterSettings> cluster, int eventLoops, PoolSwitch pool, List<VerticleSpec> verticles)
            throws LaunchException {
        Node node = new Node(startVertx(cluster, eventLoops));
        String transport = !node.vertx.isNativeTransportEnabled() ? "NIO"
                : TRANSPORT == null ? "native epoll" : "native epoll (accepting on the event loops)";
        LOG.info("{} event loop{}, {} transport", eventLoops, eventLoops == 1 ? "" : "s", transport);
        node.pool = pool;
        // Registered before the admin API deploys, so that no POST /reload can miss it.
        Logging.followReloads(node.vertx);
        pool.bind(node.vertx);
        try {
            try {
                pool.start().await();
            } catch (Exception e) {
                throw new LaunchException(Failures.describe(e), e);
            }
            for (VerticleSpec spec : verticles) {
                node.deploy(spec);
            }
        } catch (LaunchException e) {
            node.stop(ShutdownMode.FAST);
            throw e;
        }
        return node;
    }

    private static Vertx startVertx(Optional<ClusterSettings> cluster, int eventLoops) throws LaunchException {
        if (cluster.isEmpty()) {
            LOG.info("use_watchdog is off: running without a cluster");
            return builder(baseOptions(eventLoops)).build();
        }
        ClusterSettings settings = cluster.get();
        Config hazelcast;
        try {
            hazelcast = HazelcastConfigFactory.create(settings);
        } catch (UnknownHostException e) {
            throw new LaunchException("watchdog host \"" + settings.host() + "\" does not resolve");
        }
        ensureBindable(settings.host(), settings.port(), "wd_port");
        EventBusSettings eventBus = settings.eventBus();
        if (eventBus.port() != 0) {
            ensureBindable(eventBus.bindAddress(settings.host()), eventBus.port(), "eventbus_port");
        }
        LOG.info("joining cluster {} as {}:{}, members {}", settings.clusterName(), settings.host(),
                settings.port(), settings.members());
        VertxOptions options = baseOptions(eventLoops)
                .setEventBusOptions(eventBus.options(settings.host()));
        try {
            return builder(options)
                    .withClusterManager(new HazelcastClusterManager(hazelcast))
                    .buildClustered()
                    .await();
        } catch (Exception e) {
            throw new LaunchException("could not join the watchdog cluster on " + settings.host() + ":"
                    + settings.port() + ": " + Failures.describe(e), e);
        }
    }

    private static VertxBuilder builder(VertxOptions options) {
        VertxBuilder builder = Vertx.builder().with(options);
        return TRANSPORT == null ? builder : builder.withTransport(TRANSPORT);
    }

    /**
     * Native transport when netty-transport-native-epoll loads (Linux x86-64), NIO otherwise; with
     * epoll, {@link #TRANSPORT} is given to the builder instead.
     */
    private static VertxOptions baseOptions(int eventLoops) {
        return new VertxOptions()
                .setMetricsOptions(PoolMetrics.vertxOptions())
                .setEventLoopPoolSize(eventLoops)
                .setPreferNativeTransport(true);
    }

    /**
     * Hazelcast reports a busy {@code wd_port} (and Vert.x a busy event-bus port) only after logging two stack traces; probing first
     * gives the operator the one line that matters. Losing the race afterwards still fails the
     * start, just more verbosely.
     */
    private static void ensureBindable(String host, int port, String key) throws LaunchException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new LaunchException(ListenFailure.message(host, port, e) + " (" + key + ")", e);
        }
    }

    private void deploy(VerticleSpec spec) throws LaunchException {
        DeploymentOptions options = new DeploymentOptions().setInstances(spec.instances());
        try {
            String id = vertx.deployVerticle(spec.factory(), options).await();
            deployed.push(new Deployed(spec.name(), id));
            LOG.info("{} started ({} instance{})", spec.name(), spec.instances(), spec.instances() == 1 ? "" : "s");
        } catch (Exception e) {
            throw new LaunchException(Failures.describe(e), e);
        }
    }

    /**
     * Undeploys in reverse order, so the watchdog releases the delegate IP before the proxies
     * close, then leaves the cluster.
     */
    void stop(ShutdownMode mode) {
        if (mode != ShutdownMode.IMMEDIATE) {
            undeployAll(mode == ShutdownMode.SMART ? Long.MAX_VALUE : FAST_UNDEPLOY_SECONDS);
        }
        try {
            vertx.close().await(mode == ShutdownMode.IMMEDIATE ? IMMEDIATE_CLOSE_SECONDS : 30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Vert.x did not close in time; exiting anyway");
        } catch (Exception e) {
            LOG.warn("closing Vert.x failed: {}", Failures.describe(e));
        }
    }

    private void undeployAll(long timeoutSeconds) {
        undeployOwn(timeoutSeconds);
        try {
            if (timeoutSeconds == Long.MAX_VALUE) {
                pool.stop().await();
            } else {
                pool.stop().await(timeoutSeconds, TimeUnit.SECONDS);
            }
        } catch (TimeoutException e) {
            LOG.warn("the pool did not stop within {} s", timeoutSeconds);
        } catch (Exception e) {
            LOG.warn("the pool failed to stop: {}", Failures.describe(e));
        }
    }

    private void undeployOwn(long timeoutSeconds) {
        while (!deployed.isEmpty()) {
            Deployed d = deployed.pop();
            try {
                Future<Void> undeploy = vertx.undeploy(d.id());
                if (timeoutSeconds == Long.MAX_VALUE) {
                    undeploy.await();
                } else {
                    undeploy.await(timeoutSeconds, TimeUnit.SECONDS);
                }
                LOG.info("{} stopped", d.name());
            } catch (TimeoutException e) {
                LOG.warn("{} did not stop within {} s", d.name(), timeoutSeconds);
            } catch (Exception e) {
                LOG.warn("{} failed to stop: {}", d.name(), Failures.describe(e));
            }
        }
    }
}
