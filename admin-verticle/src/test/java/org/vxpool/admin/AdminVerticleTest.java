package org.vxpool.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vxpool.common.Addresses;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;

class AdminVerticleTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void healthIsUpAndANodeWithoutClusterSeesItselfAlone() throws Exception {
        int port = freePort();
        vertx.deployVerticle(new AdminVerticle(List.of("127.0.0.1"), port)).await();

        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getString("status")).isEqualTo("UP");
        JsonObject cluster = check(body, "cluster");
        assertThat(cluster.getString("status")).isEqualTo("UP");
        assertThat(cluster.getJsonObject("data").getBoolean("clustered")).isFalse();
        assertThat(cluster.getJsonObject("data").getInteger("size")).isEqualTo(1);
        assertThat(check(body, "event-loop").getString("status")).isEqualTo("UP");
    }

    @Test
    void aBusyPortFailsTheDeploymentWithTheAddressInTheMessage() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = busy.getLocalPort();
            assertThatThrownBy(() -> vertx.deployVerticle(new AdminVerticle(List.of("127.0.0.1"), port)).await())
                    .hasMessage("could not listen on 127.0.0.1:" + port + ": address already in use");
        }
        assertThat(vertx.deploymentIDs()).isEmpty();
    }

    /**
     * The launcher deploys the admin API after the watchdog, whose view is settled by then; a
     * detach is then the first view published after the admin API started and must still count as
     * a failover. The watchdog is played on the local bus by what it answers and publishes.
     */
    @Test
    void theFirstViewPublishedAfterStartCountsADetachAsAFailover() throws Exception {
        long now = System.currentTimeMillis();
        BackendNode primary = new BackendNode(0, "127.0.0.1", 5432, 1, NodeStatus.UP, NodeRole.PRIMARY, now);
        BackendNode standby = new BackendNode(1, "127.0.0.1", 5433, 1, NodeStatus.UP, NodeRole.STANDBY, now);
        ClusterView settled = new ClusterView(2, List.of(primary, standby));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.CLUSTER_VIEW_GET, m -> m.reply(settled.toJson()));
        int port = freePort();
        vertx.deployVerticle(new AdminVerticle(List.of("127.0.0.1"), port)).await();

        ClusterView detached = settled.with(standby.withStatus(NodeStatus.DOWN, now + 1), 3);
        vertx.eventBus().publish(Addresses.CLUSTER_VIEW, detached.toJson());

        // the publish reaches the admin verticle's consumer asynchronously
        String metrics = send(port, "GET", "/metrics").body();
        for (int i = 0; i < 50 && !metrics.contains("vxpool_failovers_total 1.0"); i++) {
            Thread.sleep(100);
            metrics = send(port, "GET", "/metrics").body();
        }
        assertThat(metrics).contains("vxpool_failovers_total 1.0");
    }

    /**
     * ADMIN.md: {@code vxpool_watchdog_state} is 1 for this node's watchdog state. After
     * {@code POST /pool/stop} the other members see this one as SHUTDOWN; the gauges must not
     * keep saying STANDBY, with quorum and the VIP, from the last scrape before the stop.
     */
    @Test
    void watchdogGaugesSayShutdownOnceTheWatchdogStopped() throws Exception {
        JsonObject info = new JsonObject().put("localState", "STANDBY").put("quorumState", "QUORUM EXISTS")
                .put("vipUpOnLocalNode", true).put("aliveRemoteNodes", 1);
        io.vertx.core.eventbus.MessageConsumer<JsonObject> watchdog =
                vertx.eventBus().localConsumer(Addresses.WATCHDOG_INFO_GET, m -> m.reply(info));
        int port = freePort();
        vertx.deployVerticle(new AdminVerticle(List.of("127.0.0.1"), port)).await();
        assertThat(send(port, "GET", "/metrics").body()).contains("vxpool_watchdog_state{state=\"STANDBY\"} 1.0",
                "vxpool_watchdog_vip_up 1.0", "vxpool_watchdog_quorum 1.0");

        watchdog.unregister().await();

        assertThat(send(port, "GET", "/metrics").body()).contains("vxpool_watchdog_state{state=\"STANDBY\"} 0.0",
                "vxpool_watchdog_state{state=\"SHUTDOWN\"} 1.0", "vxpool_watchdog_vip_up 0.0",
                "vxpool_watchdog_quorum 0.0", "vxpool_watchdog_alive_remote_nodes 0.0");
    }

    /** ADMIN.md: a wrong method is 405, an unknown path 404, both with a JSON error. */
    @Test
    void aWrongMethodOnAKnownPathIs405AndAnUnknownPathIs404() throws Exception {
        int port = freePort();
        vertx.deployVerticle(new AdminVerticle(List.of("127.0.0.1"), port)).await();

        for (String[] wrong : new String[][] {{"DELETE", "/api/v1/nodes/0", "GET"}, {"GET", "/api/v1/nodes/0/detach", "POST"},
                {"PUT", "/api/v1/reload", "POST"}, {"GET", "/api/v1/pool/stop", "POST"}, {"PUT", "/api/v1/view", "GET"}}) {
            HttpResponse<String> response = send(port, wrong[0], wrong[1]);
            assertThat(response.statusCode()).as(wrong[0] + " " + wrong[1]).isEqualTo(405);
            assertThat(new JsonObject(response.body()).getString("error"))
                    .isEqualTo("method not allowed: " + wrong[0] + " " + wrong[1]);
            assertThat(response.headers().firstValue("Allow")).as(wrong[1]).hasValue(wrong[2]);
        }
        for (String[] unknown : new String[][] {{"GET", "/api/v1/nowhere"}, {"DELETE", "/api/v1/nodes/0/frobnicate"}}) {
            HttpResponse<String> response = send(port, unknown[0], unknown[1]);
            assertThat(response.statusCode()).as(unknown[1]).isEqualTo(404);
            assertThat(new JsonObject(response.body()).getString("error"))
                    .isEqualTo("no such endpoint: " + unknown[0] + " " + unknown[1]);
        }
    }

    /** Vert.x-web cannot route a path with a broken %-escape; the client gets a JSON 400, the log no stack trace. */
    @Test
    void aPathWithABrokenPercentEscapeIsAJson400() throws Exception {
        int port = freePort();
        vertx.deployVerticle(new AdminVerticle(List.of("127.0.0.1"), port)).await();

        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log = new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        root.addAppender(log);
        try {
            String answer = rawRequest(port, "GET /api/v1/nodes/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

            assertThat(answer).startsWith("HTTP/1.1 400 ");
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            assertThat(new JsonObject(body).getString("error")).isEqualTo("malformed %-escape in path /api/v1/nodes/%zz");
            assertThat(log.list).noneMatch(event -> event.getThrowableProxy() != null);
        } finally {
            root.detachAppender(log);
        }
        HttpResponse<String> health = send(port, "GET", "/health");
        assertThat(health.statusCode()).isEqualTo(200);
    }

    /** A pool stop that fails with an exception without a message still says what failed. */
    @Test
    void aFailedPoolStopNamesTheFailureInsteadOfANullError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path pcp = dir.resolve("pcp.conf");
        java.nio.file.Files.writeString(pcp, "admin:" + org.vxpool.admin.auth.PcpAuthFile.md5Hex("pw") + "\n");
        PoolControl failing = new PoolControl() {
            @Override
            public io.vertx.core.Future<Void> start() {
                return io.vertx.core.Future.succeededFuture();
            }

            @Override
            public io.vertx.core.Future<Void> stop() {
                return io.vertx.core.Future.failedFuture(new AssertionError());
            }

            @Override
            public State status() {
                return State.RUNNING;
            }
        };
        int port = freePort();
        vertx.deployVerticle(new AdminVerticle(new AdminSettings(List.of("127.0.0.1"), port, java.util.Optional.of(pcp),
                java.util.Optional.empty(), java.util.Optional.empty(), dir.resolve("vxpool.log"), null), failing)).await();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/pool/stop"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("admin:pw".getBytes()))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("the pool stop failed: java.lang.AssertionError");
    }

    private static String rawRequest(int port, String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(InetAddress.getByName("127.0.0.1"), port)) {
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static HttpResponse<String> send(int port, String method, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject check(JsonObject body, String id) {
        return body.getJsonArray("checks").stream()
                .map(JsonObject.class::cast)
                .filter(c -> id.equals(c.getString("id")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no check " + id + " in " + body.encode()));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
