package org.vxpool.admin;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.admin.api.EventsApi;
import org.vxpool.admin.api.LogsApi;
import org.vxpool.admin.api.NodesApi;
import org.vxpool.admin.api.PoolApi;
import org.vxpool.admin.api.Probes;
import org.vxpool.admin.api.ReloadApi;
import org.vxpool.admin.api.Replies;
import org.vxpool.admin.api.Sources;
import org.vxpool.admin.auth.BasicAuth;
import org.vxpool.admin.metrics.PoolMetrics;
import org.vxpool.common.Addresses;
import org.vxpool.common.ListenFailure;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.model.ClusterView;

/**
 * vxpool's HTTP endpoint on {@code admin_listen_addresses:admin_port}: probes, the REST API under
 * {@code /api/v1}, Prometheus metrics and the web console. ADMIN.md lists every endpoint. Reads
 * are open; mutations and logs need HTTP Basic credentials from {@code admin_auth_file}.
 */
public final class AdminVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(AdminVerticle.class);
    private static final Pattern BROKEN_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private final AdminSettings settings;
    private final PoolControl pool;
    private final ReloadCheck reloadCheck;
    private PoolMetrics metrics;

    /** Listens on {@code admin_listen_addresses:admin_port}; the pool cannot be stopped from here. */
    public AdminVerticle(PoolConfig config) {
        this(AdminSettings.from(config), PoolControl.NONE);
    }

    /** {@code pool} stops and starts this node's other verticles. */
    public AdminVerticle(PoolConfig config, PoolControl pool) {
        this(AdminSettings.from(config), pool);
    }

    /** As the launcher deploys it: {@code reloadCheck} also vets the auth files a reload reads. */
    public AdminVerticle(PoolConfig config, PoolControl pool, ReloadCheck reloadCheck) {
        this(AdminSettings.from(config), pool, reloadCheck);
    }

    /**
     * Health and read-only endpoints only; every protected endpoint answers 401.
     *
     * @param listenAddresses host names or addresses, {@code *} meaning every interface
     * @param port the TCP port, 0 for any free one
     */
    public AdminVerticle(List<String> listenAddresses, int port) {
        this(AdminSettings.bare(listenAddresses, port), PoolControl.NONE);
    }

    public AdminVerticle(AdminSettings settings, PoolControl pool) {
        this(settings, pool, ReloadCheck.NONE);
    }

    public AdminVerticle(AdminSettings settings, PoolControl pool, ReloadCheck reloadCheck) {
        this.reloadCheck = reloadCheck;
        this.settings = settings;
        this.pool = pool;
    }

    @Override
    public Future<?> start() {
        Optional<String> sslProblem = sslProblem();
        if (sslProblem.isPresent()) {
            return Future.failedFuture(new IllegalArgumentException(sslProblem.get()));
        }
        Router router = router();
        List<Future<HttpServer>> servers = settings.listenAddresses().stream().map(host -> listen(router, host)).toList();
        return Future.all(Future.all(servers), metrics.seed());
    }

    private Router router() {
        Sources sources = new Sources(vertx);
        Router router = Router.router(vertx);
        router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(healthChecks()));
        boolean watchdogOn = settings.config() != null && settings.config().get(Params.USE_WATCHDOG);
        new Probes(sources, pool, watchdogOn).routes(router);
        metrics = new PoolMetrics(sources);
        vertx.eventBus().<JsonObject>localConsumer(Addresses.CLUSTER_VIEW,
                m -> metrics.viewPublished(ClusterView.fromJson(m.body())));
        router.get("/metrics").handler(metrics::scrape);
        router.route("/api/v1/*").subRouter(api(sources));
        router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
        router.errorHandler(404, ctx -> Replies.error(ctx, 404, "no such endpoint: " + ctx.request().method() + " " + ctx.request().path()));
        router.errorHandler(405, ctx -> Replies.error(ctx, 405, "method not allowed: " + ctx.request().method() + " " + ctx.request().path()));
        router.errorHandler(500, this::internalError);
        return router;
    }

    private Router api(Sources sources) {
        Router api = Router.router(vertx);
        BasicAuth auth = new BasicAuth(vertx, settings.authFile());
        api.post("/*").handler(auth);
        api.get("/logs*").handler(auth);
        EventsApi[] events = new EventsApi[1];
        PoolApi poolApi = new PoolApi(sources, pool, () -> events[0].poolChanged());
        events[0] = new EventsApi(vertx, sources, poolApi::status);
        events[0].start();
        NodesApi nodes = new NodesApi(vertx, sources);
        nodes.readRoutes(api);
        nodes.actionRoutes(api);
        poolApi.readRoutes(api);
        poolApi.actionRoutes(api);
        new ReloadApi(vertx, settings.config(), reloadCheck).actionRoutes(api);
        new LogsApi(vertx, settings.logFile()).routes(api);
        events[0].routes(api);
        answerWrongMethods(api);
        return api;
    }

    /**
     * Vert.x-web answers 405 only when no route matches at all, and the console's static handler
     * on {@code /*} matches every path, so a wrong method on an API path came out as 404. Each
     * API path therefore gets a last route that names the methods it does take.
     */
    private static void answerWrongMethods(Router api) {
        Map<String, Set<HttpMethod>> allowed = new LinkedHashMap<>();
        for (Route route : api.getRoutes()) {
            if (route.getPath() != null && !route.getPath().contains("*") && route.methods() != null
                    && !route.methods().isEmpty()) {
                allowed.computeIfAbsent(route.getPath(), p -> new TreeSet<>(Comparator.comparing(HttpMethod::name)))
                        .addAll(route.methods());
            }
        }
        allowed.forEach((path, methods) -> api.route(path).handler(ctx -> {
            ctx.response().putHeader("Allow", methods.stream().map(HttpMethod::name).collect(Collectors.joining(", ")));
            Replies.error(ctx, 405, "method not allowed: " + ctx.request().method() + " " + ctx.request().path());
        }));
    }

    private void internalError(RoutingContext ctx) {
        LOG.error("admin API: {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
        Replies.error(ctx, 500, "internal error: " + (ctx.failure() == null ? "unknown" : ctx.failure().getMessage()));
    }

    private HealthChecks healthChecks() {
        ClusterMembersCheck cluster = new ClusterMembersCheck(vertx);
        // Completing from a fresh task proves this event loop still drains its queue.
        return HealthChecks.create(vertx)
                .register("event-loop", promise -> context.runOnContext(v -> promise.complete(Status.OK())))
                .register(ClusterMembersCheck.NAME, cluster::check);
    }

    private Optional<String> sslProblem() {
        if (settings.sslCert().isEmpty()) {
            return Optional.empty();
        }
        if (settings.config() != null && (settings.config().get(Params.ADMIN_SSL_CERT).isEmpty()
                || settings.config().get(Params.ADMIN_SSL_KEY).isEmpty())) {
            return Optional.of("admin_ssl is on: admin_ssl_cert and admin_ssl_key must name PEM files");
        }
        return Optional.empty();
    }

    private HttpServerOptions serverOptions(String host) {
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(settings.port());
        if (settings.sslCert().isPresent() && settings.sslKey().isPresent()) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(settings.sslCert().get().toString())
                    .setKeyPath(settings.sslKey().get().toString()));
        }
        return options;
    }

    /**
     * Vert.x-web throws on a path whose %-escape does not decode and logs the stack trace at ERROR
     * for each such request, with a plain-text answer; any client could fill the log that way.
     */
    private static void route(Router router, HttpServerRequest request) {
        if (BROKEN_ESCAPE.matcher(request.path()).find()) {
            request.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", "malformed %-escape in path " + request.path()).encodePrettily());
            return;
        }
        router.handle(request);
    }

    private Future<HttpServer> listen(Router router, String host) {
        return vertx.createHttpServer(serverOptions(host))
                .requestHandler(request -> route(router, request))
                .listen()
                .recover(failure -> Future.failedFuture(ListenFailure.of(host, settings.port(), failure)))
                .onSuccess(server -> LOG.info("admin API listening on {}:{}{}", host, server.actualPort(),
                        settings.sslCert().isPresent() ? " (TLS)" : ""));
    }
}
