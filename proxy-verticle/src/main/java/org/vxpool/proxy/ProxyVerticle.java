package org.vxpool.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.Addresses;
import org.vxpool.common.ClientCounts;
import org.vxpool.common.ListenFailure;
import org.vxpool.common.config.ConfigReload;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.proxy.auth.ProxySecurity;
import org.vxpool.proxy.cancel.CancelForwarder;
import org.vxpool.proxy.cancel.PeerCancel;
import org.vxpool.proxy.pool.BackendPool;
import org.vxpool.proxy.pool.TransactionPool;
import org.vxpool.proxy.routing.ClassificationCache;
import org.vxpool.proxy.routing.Router;
import org.vxpool.proxy.routing.RoutingSettings;
import org.vxpool.proxy.routing.SqlClassifier;
import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.proxy.protocol.SqlState;
import org.vxpool.proxy.session.ClientAuthenticator;
import org.vxpool.proxy.session.ClientSession;
import org.vxpool.proxy.session.ClientTls;
import org.vxpool.proxy.session.PrimaryWait;
import org.vxpool.proxy.session.ProxyContext;
import org.vxpool.proxy.session.ProxyRuntime;
import org.vxpool.proxy.session.SessionCounts;
import org.vxpool.proxy.session.SessionLogging;
import org.vxpool.proxy.session.SessionState;
import org.vxpool.proxy.session.TrustPassThroughAuthenticator;
import org.vxpool.proxy.stats.BackendCounters;

/**
 * The PostgreSQL-facing listener. Deployed once per event loop; instances share the port, and
 * each keeps its own sessions and backend pool on its event loop. Backend addresses and roles come
 * from the newest {@link ClusterView}, never from shared state on the hot path.
 */
public class ProxyVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(ProxyVerticle.class);

    private static final RoutingSettings NO_LOAD_BALANCING = new RoutingSettings(false, false,
            org.vxpool.common.config.DisableLoadBalanceOnWrite.TRANSACTION, false, false, true, 0, 0, false,
            List.of(), List.of(), List.of(), List.of(), List.of());

    private ProxySettings settings;
    /** Authentication and TLS: given, or loaded from pgpool.conf when the verticle starts. */
    private final Function<Vertx, Future<ProxySecurity>> security;
    /** The launcher's {@code -a} when built from pgpool.conf; reloads read pool_hba.conf from there too. */
    private final Path hbaFile;
    /** Built from pgpool.conf: follows {@link Addresses#CONFIG_RELOAD}. */
    private final boolean reloadable;
    private final Set<ClientSession> sessions = new HashSet<>();
    private volatile ClusterView view;
    private PrimaryWait primaryWait;
    private ProxyContext ctx;
    private BackendPool pool;
    private ProxyRuntime runtime;
    /** SHOW pool_backend_stats' counts of this instance's relays; kept across reloads. */
    private final BackendCounters backendCounters = new BackendCounters();
    private NetClient backendClient;
    private final List<NetServer> servers = new ArrayList<>();
    /** Load balancing and classification; pgpool.conf's, or off for the settings-only constructors. */
    private RoutingSettings routing;
    /** log_connections/log_disconnections; off for the settings-only constructors. */
    private SessionLogging sessionLogging = SessionLogging.OFF;
    /** What SHOW pool_status and PGPOOL SHOW print: pgpool.conf, or the settings given. */
    private PoolConfig config;
    /** A graceful detach started or ended (on any thread): this instance looks at its sessions. */
    private final Runnable drainListener = () -> context.runOnContext(v -> drainChanged());

    /** Settings, pool_hba.conf/pool_passwd and TLS from pgpool.conf. */
    public ProxyVerticle(PoolConfig config) {
        this(config, null);
    }

    /**
     * The launcher's constructor. The files are read and TLS warmed up once per Vert.x instance,
     * off the event loop, however many instances are deployed.
     *
     * @param hbaFile the launcher's {@code -a}, or null for pool_hba.conf next to the config file
     */
    public ProxyVerticle(PoolConfig config, Path hbaFile) {
        this.settings = ProxySettings.from(config);
        this.security = vertx -> ProxySecurity.shared(vertx, config, hbaFile);
        this.routing = RoutingSettings.from(config);
        this.sessionLogging = SessionLogging.from(config);
        this.config = config;
        this.hbaFile = hbaFile;
        this.reloadable = true;
    }

    public ProxyVerticle(ProxySettings settings) {
        this(settings, new TrustPassThroughAuthenticator(), ClientTls.NONE);
    }

    public ProxyVerticle(ProxySettings settings, ClientAuthenticator authenticator, ClientTls tls) {
        this(settings, authenticator, tls, null);
    }

    /** @param backendTls TLS for backend connections (tried with SSLRequest), or null for plain */
    public ProxyVerticle(ProxySettings settings, ClientAuthenticator authenticator, ClientTls tls,
                         ClientSSLOptions backendTls) {
        this(settings, authenticator, tls, backendTls, NO_LOAD_BALANCING);
    }

    /** @param routing load balancing settings ({@link RoutingSettings#from}) */
    public ProxyVerticle(ProxySettings settings, ClientAuthenticator authenticator, ClientTls tls,
                         ClientSSLOptions backendTls, RoutingSettings routing) {
        this.settings = settings;
        this.routing = routing;
        this.config = EmbeddedConfig.of(settings, routing);
        this.hbaFile = null;
        this.reloadable = false;
        ProxySecurity given = new ProxySecurity(authenticator, tls, backendTls);
        this.security = vertx -> Future.succeededFuture(given);
    }

    @Override
    public Future<?> start() {
        // The shared load completes on the context of the instance that began it, and its
        // callbacks run there: without the hop every instance's server, timers and consumers would
        // be made on that one event loop, and all clients served by it.
        Promise<Void> started = Promise.promise();
        security.apply(vertx).onComplete(loaded -> context.runOnContext(v -> {
            if (loaded.failed()) {
                started.fail(loaded.cause());
            } else {
                start(loaded.result()).onComplete(started);
            }
        }));
        return started.future();
    }

    private Future<Void> start(ProxySecurity security) {
        runtime = ProxyRuntime.of(vertx);
        primaryWait = new PrimaryWait(System.nanoTime());
        backendClient = vertx.createNetClient(new NetClientOptions()
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true)
                .setConnectTimeout(settings.backendConnectTimeoutMillis()));
        pool = new BackendPool(vertx, backendClient, settings, security.backendTls());
        SessionCounts counts = new SessionCounts();
        runtime.register(pool, counts);
        runtime.register(backendCounters);
        PeerCancel peers = PeerCancel.of(vertx);
        CancelForwarder canceller = new CancelForwarder(backendClient, runtime.cancelRegistry(), peers);
        ctx = context(security, counts, canceller, settings.transactionMode()
                ? txPool(settings) : null);
        if (reloadable) {
            ConfigReload.consumer(vertx, this::reloaded);
        }
        vertx.eventBus().<JsonObject>localConsumer(Addresses.CLUSTER_VIEW, m -> acceptView(m.body()));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.REPLICATION_LAG, m -> runtime.replicationLag(m.body()));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.PROXY_STATS, m -> m.reply(runtime.statsJson()));
        vertx.setPeriodic(1000, t -> sweep());
        Future<Void> peerCancels = peers == null ? Future.succeededFuture()
                : vertx.eventBus().<JsonObject>consumer(peers.address(), m -> canceller.cancelForwarded(m.body())).completion();
        runtime.drain().listen(drainListener);
        long lease = TimeUnit.MILLISECONDS.toNanos(ClientCounts.DRAIN_LEASE_MILLIS);
        return peerCancels.compose(v -> ClientCounts.serve(vertx, runtime::clients, on -> runtime.drain().set(on, lease)))
                .compose(v -> fetchView()).compose(v -> listen());
    }

    /** @param transactions the pool_mode = transaction pool, kept across reloads; null in session mode */
    private TransactionPool txPool(ProxySettings settings) {
        TransactionPool tx = new TransactionPool(vertx, pool, settings.defaultPoolSize(), settings.poolTimeoutMillis(),
                settings.txPipelineDepth());
        tx.pipelineMaxAge(settings.txPipelineMaxAgeMillis());
        return tx;
    }

    private ProxyContext context(ProxySecurity security, SessionCounts counts, CancelForwarder canceller,
                                 TransactionPool transactions) {
        return new ProxyContext(vertx, settings, pool, runtime, canceller,
                security.authenticator(), security.clientTls(),
                () -> view, sessions, counts,
                routing.loadBalance() && !routing.raw() ? new Router(routing) : null,
                new ClassificationCache(SqlClassifier.from(routing), 1024),
                runtime::lags,
                transactions,
                sessionLogging,
                primaryWait,
                config,
                backendCounters);
    }

    /**
     * A reload: sessions that connect from now on get the new routing (the redirect and function
     * lists, disable_load_balance_on_write, ...), session settings and pool_hba.conf/pool_passwd;
     * sessions already open keep what they started with, as pgpool's children do until their
     * client disconnects. The timeouts of the sweep and the backend pool's reset_query_list and
     * connection_life_time apply at once, and so do transaction pooling's
     * default_pool_size and pool_timeout. Restart-only parameters never differ here.
     */
    private void reloaded(PoolConfig newer) {
        RoutingSettings nextRouting;
        try {
            nextRouting = RoutingSettings.from(newer);
        } catch (RuntimeException e) {
            log.warn("reload: routing settings not applied: {}", e.getMessage());
            return;
        }
        // The shared load may complete on another instance's event loop; this instance's state
        // is only touched on its own.
        ProxySecurity.shared(vertx, newer, hbaFile).onComplete(loaded -> context.runOnContext(v -> {
            if (loaded.failed()) {
                log.warn("reload: pool_hba.conf/pool_passwd/TLS not reloaded, nothing applied: {}", loaded.cause().getMessage());
                return;
            }
            settings = ProxySettings.from(newer);
            pool.reconfigure(settings);
            if (ctx.txPool() != null) {
                ctx.txPool().reconfigure(settings.defaultPoolSize(), settings.poolTimeoutMillis());
                ctx.txPool().pipelineDepth(settings.txPipelineDepth());
                ctx.txPool().pipelineMaxAge(settings.txPipelineMaxAgeMillis());
            }
            routing = nextRouting;
            sessionLogging = SessionLogging.from(newer);
            config = newer;
            ctx = context(loaded.result(), ctx.counts(), ctx.canceller(), ctx.txPool());
            log.debug("proxy reloaded {}", newer.file());
        }));
    }

    private Future<Void> fetchView() {
        return vertx.eventBus().<JsonObject>request(Addresses.CLUSTER_VIEW_GET, new JsonObject(),
                        new DeliveryOptions().setSendTimeout(5000).setLocalOnly(true))
                .map(Message::body)
                .onSuccess(this::acceptView)
                .otherwise(e -> {
                    log.warn("no cluster view yet ({}); waiting for one on {}", e.getMessage(), Addresses.CLUSTER_VIEW);
                    return null;
                })
                .mapEmpty();
    }

    private Future<Void> listen() {
        List<Future<NetServer>> started = new ArrayList<>();
        for (String host : settings.bindHosts()) {
            NetServer server = vertx.createNetServer(ctx.tls().configure(new NetServerOptions()
                    .setTcpNoDelay(true)
                    .setTcpKeepAlive(true)
                    .setReuseAddress(true)));
            server.connectHandler(socket -> new ClientSession(ctx, socket).start());
            servers.add(server);
            started.add(server.listen(settings.port(), host)
                    .recover(e -> Future.failedFuture(ListenFailure.of(host, settings.port(), e))));
        }
        return Future.all(started).onSuccess(v ->
                log.debug("proxy listening on {} port {}", settings.bindHosts(), settings.port())).mapEmpty();
    }

    /**
     * Keeps the newest view; sessions and idle connections on nodes now down are closed, and new
     * sessions waiting for a primary look again.
     */
    private void acceptView(JsonObject json) {
        ClusterView next;
        try {
            next = ClusterView.fromJson(json);
        } catch (RuntimeException e) {
            log.warn("ignoring malformed cluster view: {}", e.toString());
            return;
        }
        if (!next.isNewerThan(view)) {
            return;
        }
        view = next;
        for (BackendNode n : next.nodes()) {
            if (n.status() == NodeStatus.DOWN) {
                String reason = "backend node " + n.id() + " " + n.hostPort() + " is down";
                pool.closeNode(n.id(), reason);
                for (ClientSession s : List.copyOf(sessions)) {
                    s.nodeDown(n.id(), reason);
                }
            }
        }
        next.primary().ifPresent(p -> {
            for (ClientSession s : List.copyOf(sessions)) {
                s.primaryKnownAgain(p.id());
            }
        });
        primaryWait.viewChanged(next, System.nanoTime());
    }

    /**
     * Once a second: start-up and idle timeouts, pooled connection lifetime. A wait for a primary
     * is bounded by its own timer and does not count against authentication_timeout: pgpool-II
     * starts that clock only once a child took the client, after the failover. Neither does a
     * client held while a graceful detach waits; its lease running out (the Active node died
     * mid-wait) lets held clients in here.
     */
    private void sweep() {
        long authLimit = TimeUnit.SECONDS.toNanos(settings.authenticationTimeout());
        boolean draining = runtime.drain().active();
        int inRecovery = config.get(Params.CLIENT_IDLE_LIMIT_IN_RECOVERY);
        for (ClientSession s : List.copyOf(sessions)) {
            SessionState st = s.state();
            boolean starting = st == SessionState.STARTUP || st == SessionState.AUTHENTICATING;
            if (starting && authLimit > 0 && s.startupAgeNanos() > authLimit) {
                // PostgreSQL closes such a connection without a message
                s.close("authentication_timeout (" + settings.authenticationTimeout() + " s) expired", null);
            } else if (st == SessionState.IDLE) {
                idle(s, draining, inRecovery);
            } else if (st == SessionState.HELD && !draining) {
                s.drainOver();
            }
        }
        pool.sweep();
    }

    /**
     * An idle session's limits: client_idle_limit, and client_idle_limit_in_recovery while a
     * graceful detach waits; PGPOOL SET changes either for one session.
     */
    private void idle(ClientSession s, boolean draining, int inRecoveryConfigured) {
        int inRecovery = draining ? s.clientIdleLimitInRecovery(inRecoveryConfigured) : 0;
        if (inRecovery == -1 || inRecovery > 0 && s.stateAgeNanos() > TimeUnit.SECONDS.toNanos(inRecovery)) {
            s.close("client_idle_limit_in_recovery reached", ErrorResponse.fatal(SqlState.IDLE_SESSION_TIMEOUT,
                    "terminating connection due to client_idle_limit_in_recovery",
                    inRecovery == -1 ? "a graceful detach is waiting for every client to disconnect"
                            : "a graceful detach is waiting for every client to disconnect, and this client was idle for more than "
                            + inRecovery + " seconds"));
            return;
        }
        int idleSeconds = s.clientIdleLimit(settings.clientIdleLimit());
        if (idleSeconds > 0 && s.stateAgeNanos() > TimeUnit.SECONDS.toNanos(idleSeconds)) {
            s.close("client_idle_limit reached", ErrorResponse.fatal(SqlState.IDLE_SESSION_TIMEOUT,
                    "terminating connection due to client_idle_limit",
                    "the client was idle for more than " + idleSeconds + " seconds"));
        }
    }

    /**
     * A graceful detach started (idle clients may have to go at once: client_idle_limit_in_recovery
     * = -1) or ended (held clients start now, on the view without the detached node).
     */
    private void drainChanged() {
        if (ctx != null) {
            sweep();
        }
    }

    @Override
    public Future<?> stop() {
        runtime.drain().unlisten(drainListener);
        pool.shutdown("proxy stopping");
        for (ClientSession s : List.copyOf(sessions)) {
            s.close("proxy stopping", ErrorResponse.fatal(SqlState.ADMIN_SHUTDOWN,
                    "terminating connection due to administrator command"));
        }
        runtime.unregister(pool, ctx.counts());
        runtime.retire(backendCounters);
        List<Future<Void>> closing = new ArrayList<>();
        servers.forEach(s -> closing.add(s.close()));
        closing.add(backendClient.close());
        return Future.join(closing);
    }
}
