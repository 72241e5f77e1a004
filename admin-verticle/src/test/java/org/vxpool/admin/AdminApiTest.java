package org.vxpool.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/** Every admin endpoint against a node in front of a real primary and standby. */
class AdminApiTest {

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1));

    @TempDir
    static Path dir;

    static RunningNode node;

    @BeforeAll
    static void start() throws Exception {
        node = new RunningNode(PG.cluster(), dir);
        node.awaitNodes(rows -> rows.size() == 2 && "primary".equals(rows.getJsonObject(0).getString("role")), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private static HttpResponse<Buffer> send(HttpMethod method, String path, String user, String password) throws Exception {
        HttpRequest<Buffer> request = node.http.request(method, node.adminPort, "127.0.0.1", path);
        if (user != null) {
            request.basicAuthentication(user, password);
        }
        return request.send().await(150, TimeUnit.SECONDS);
    }

    private static HttpResponse<Buffer> get(String path) throws Exception {
        return send(HttpMethod.GET, path, null, null);
    }

    private static HttpResponse<Buffer> post(String path) throws Exception {
        return send(HttpMethod.POST, path, RunningNode.USER, RunningNode.PASSWORD);
    }

    @Test
    void probesAnswerForARunningStandaloneNode() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);
        HttpResponse<Buffer> ready = get("/ready");
        assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
        assertThat(ready.bodyAsJsonObject().getBoolean("ready")).isTrue();
        HttpResponse<Buffer> active = get("/active");
        assertThat(active.statusCode()).as(active.bodyAsString()).isEqualTo(200);
    }

    @Test
    void nodesShowPoolNodesColumnsAndHealthCheckStats() throws Exception {
        JsonArray rows = node.awaitNodes(r -> !r.getJsonObject(1).getJsonObject("health_check").isEmpty()
                && !"0".equals(r.getJsonObject(1).getJsonObject("health_check").getString("success_count")), Duration.ofSeconds(20));
        JsonObject standby = rows.getJsonObject(1);
        assertThat(standby.getInteger("node_id")).isEqualTo(1);
        assertThat(standby.getInteger("port")).isEqualTo(PG.cluster().node(1).port());
        assertThat(standby.getString("status")).isIn("up", "waiting");
        assertThat(standby.getString("pg_status")).isEqualTo("up");
        assertThat(standby.getString("role")).isEqualTo("standby");
        assertThat(standby.getString("lb_weight")).isEqualTo("0.500000");
        assertThat(standby.fieldNames()).contains("select_cnt", "load_balance_node", "replication_delay",
                "replication_state", "replication_sync_state", "last_status_change", "pg_role");

        HttpResponse<Buffer> one = get("/api/v1/nodes/0");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.bodyAsJsonObject().getString("role")).isEqualTo("primary");

        HttpResponse<Buffer> missing = get("/api/v1/nodes/7");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.bodyAsJsonObject().getString("error")).isEqualTo("no such backend node: 7 (nodes are 0..1)");
        assertThat(get("/api/v1/nowhere").bodyAsJsonObject().getString("error")).contains("no such endpoint");
    }

    @Test
    void mutationsWithoutOrWithWrongCredentialsGet401AndChangeNothing() throws Exception {
        for (String[] who : new String[][] {{null, null}, {RunningNode.USER, "wrong"}, {"nobody", RunningNode.PASSWORD}}) {
            HttpResponse<Buffer> refused = send(HttpMethod.POST, "/api/v1/nodes/1/detach", who[0], who[1]);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.getHeader("WWW-Authenticate")).startsWith("Basic realm=\"vxpool\"");
            assertThat(refused.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", "authentication required"));
        }
        for (String path : new String[] {"/api/v1/pool/stop", "/api/v1/reload", "/api/v1/nodes/1/recovery"}) {
            assertThat(send(HttpMethod.POST, path, null, null).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(get("/api/v1/logs").statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/logs/stream").statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/nodes").bodyAsJsonArray().getJsonObject(1).getString("status")).isNotEqualTo("down");
    }

    @Test
    void detachAndAttachAStandbyAreSeenInNodesAndInTheEventStream() throws Exception {
        BlockingQueue<String> events = openStream("/api/v1/events", false);
        assertThat(nextEvent(events, "nodes")).contains("\"node_id\":1,");

        HttpResponse<Buffer> detached = post("/api/v1/nodes/1/detach");
        assertThat(detached.statusCode()).as(detached.bodyAsString()).isEqualTo(200);
        assertThat(detached.bodyAsJsonObject().getBoolean("ok")).isTrue();
        node.awaitNodes(r -> "down".equals(r.getJsonObject(1).getString("status")), Duration.ofSeconds(10));
        assertThat(nextEventMatching(events, "nodes", "\"node_id\":1,\"hostname\"", "\"status\":\"down\"")).isNotNull();

        HttpResponse<Buffer> again = post("/api/v1/nodes/1/detach");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.bodyAsJsonObject().getString("error")).isEqualTo("node 1 is already down");

        HttpResponse<Buffer> attached = post("/api/v1/nodes/1/attach");
        assertThat(attached.statusCode()).as(attached.bodyAsString()).isEqualTo(200);
        // the same rule both ways: a node already in the asked state is a 409 with the reason
        HttpResponse<Buffer> attachedAgain = post("/api/v1/nodes/1/attach");
        assertThat(attachedAgain.statusCode()).isEqualTo(409);
        assertThat(attachedAgain.bodyAsJsonObject().getString("error")).isEqualTo("node 1 is already up");
        JsonArray rows = node.awaitNodes(r -> "up".equals(r.getJsonObject(1).getString("status")), Duration.ofSeconds(10));
        assertThat(rows.getJsonObject(1).getString("role")).isEqualTo("standby");
    }

    @Test
    void promoteWithoutSwitchoverSwapsTheRolesInTheView() throws Exception {
        node.awaitNodes(r -> !"0".equals(r.getJsonObject(1).getJsonObject("health_check").getString("success_count", "0"))
                && !"0".equals(r.getJsonObject(0).getJsonObject("health_check").getString("success_count", "0")), Duration.ofSeconds(20));
        HttpResponse<Buffer> promoted = post("/api/v1/nodes/1/promote");
        assertThat(promoted.statusCode()).as(promoted.bodyAsString()).isEqualTo(200);
        JsonArray rows = node.awaitNodes(r -> "primary".equals(r.getJsonObject(1).getString("role")), Duration.ofSeconds(10));
        assertThat(rows.getJsonObject(0).getString("role")).isEqualTo("standby");
        // Only the view changed: the backends themselves, as the health check sees them, did not.
        assertThat(rows.getJsonObject(1).getString("pg_role")).isEqualTo("standby");
        assertThat(rows.getJsonObject(0).getString("pg_role")).isEqualTo("primary");
        assertThat(rows.getJsonObject(1).getString("pg_status")).isEqualTo("up");
        String show = node.psql(PG.cluster(), "SHOW pool_nodes");
        assertThat(show).contains("|standby|primary|", "|primary|standby|");

        assertThat(post("/api/v1/nodes/0/promote").statusCode()).isEqualTo(200);
        node.awaitNodes(r -> "primary".equals(r.getJsonObject(0).getString("role")), Duration.ofSeconds(10));
    }

    @Test
    void recoveryOfAnUpNodeIsRefusedWithTheActiveNodesReason() throws Exception {
        HttpResponse<Buffer> recovery = post("/api/v1/nodes/1/recovery");
        assertThat(recovery.statusCode()).as(recovery.bodyAsString()).isEqualTo(409);
        assertThat(recovery.bodyAsJsonObject().getString("error"))
                .contains("node 1 is up; only a down node can be recovered");
    }

    @Test
    void watchdogIsUnavailableWithUseWatchdogOff() throws Exception {
        HttpResponse<Buffer> watchdog = get("/api/v1/watchdog");
        assertThat(watchdog.statusCode()).isEqualTo(503);
        assertThat(watchdog.bodyAsJsonObject().getString("error")).contains("use_watchdog = off");
    }

    @Test
    void metricsCarryVertxAndVxpoolMeters() throws Exception {
        HttpResponse<Buffer> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        String text = metrics.bodyAsString();
        assertThat(text).contains("vxpool_backend_up{node=\"0\"} 1.0", "vxpool_backend_up{node=\"1\"} 1.0",
                "vxpool_backend_primary{node=\"0\"} 1.0", "vxpool_clients ", "vxpool_client_sessions{state=\"idle\"}",
                "vxpool_failovers_total", "vxpool_health_checks{node=\"1\"}", "vxpool_proxy_running 1.0",
                "vertx_http_server_requests_total");
    }

    @Test
    void reloadReportsChangesAndRefusesRestartParameters() throws Exception {
        String original = Files.readString(node.configFile);
        try {
            HttpResponse<Buffer> same = post("/api/v1/reload");
            assertThat(same.statusCode()).as(same.bodyAsString()).isEqualTo(200);
            assertThat(same.bodyAsJsonObject().getJsonArray("changed")).isEmpty();

            Files.writeString(node.configFile, original + "default_pool_size = 7\n");
            HttpResponse<Buffer> changed = post("/api/v1/reload");
            assertThat(changed.statusCode()).as(changed.bodyAsString()).isEqualTo(200);
            assertThat(changed.bodyAsJsonObject().getJsonArray("changed")).containsExactly("default_pool_size");

            Files.writeString(node.configFile, original + "num_init_children = 3\nmax_pool = 2\n");
            HttpResponse<Buffer> restart = post("/api/v1/reload");
            assertThat(restart.statusCode()).isEqualTo(409);
            assertThat(restart.bodyAsJsonObject().getJsonArray("restart_required")).contains("num_init_children", "max_pool");
            assertThat(restart.bodyAsJsonObject().getString("error")).startsWith("these parameters need a restart: ");

            Files.writeString(node.configFile, original + "health_check_period = soon\n");
            HttpResponse<Buffer> broken = post("/api/v1/reload");
            assertThat(broken.statusCode()).isEqualTo(400);
            assertThat(broken.bodyAsJsonObject().getJsonArray("problems").getString(0))
                    .startsWith(node.configFile + ":").contains("health_check_period");
        } finally {
            Files.writeString(node.configFile, original);
        }
    }

    @Test
    void metricsCountQueriesPerNodeAndKindFromRealQueries() throws Exception {
        String before = get("/metrics").bodyAsString();
        try (Connection c = node.connect(PG.cluster()); Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE metric_probe(x int)");
            st.execute("INSERT INTO metric_probe VALUES (1)");
            st.execute("BEGIN");
            st.execute("COMMIT");
        }
        for (int i = 0; i < 6; i++) {
            try (Connection c = node.connect(PG.cluster()); Statement st = c.createStatement()) {
                st.executeQuery("SELECT 1").close();
            }
        }
        String after = get("/metrics").bodyAsString();
        assertThat(after).contains("# TYPE vxpool_queries_total counter");
        assertThat(queries(after, "write", 0) - queries(before, "write", 0)).isEqualTo(2);
        assertThat(queries(after, "other", 0) - queries(before, "other", 0)).isEqualTo(2);
        assertThat(queries(after, "read", 0) + queries(after, "read", 1) - queries(before, "read", 0) - queries(before, "read", 1))
                .isEqualTo(6);
        // Writes never reach the standby.
        assertThat(queries(after, "write", 1)).isZero();
    }

    @Test
    void replicationLagIsInNodesAndMetrics() throws Exception {
        JsonArray rows = node.awaitNodes(r -> "streaming".equals(r.getJsonObject(1).getString("replication_state")),
                Duration.ofSeconds(20));
        assertThat(rows.getJsonObject(1).getString("replication_sync_state")).isEqualTo("async");
        assertThat(rows.getJsonObject(1).getLong("replication_delay")).isGreaterThanOrEqualTo(0);
        assertThat(rows.getJsonObject(0).getString("replication_state")).isEmpty();
        assertThat(get("/metrics").bodyAsString()).contains("vxpool_replication_delay_bytes{node=\"1\"}",
                "vxpool_replication_delay_ms{node=\"1\"}").doesNotContain("vxpool_replication_delay_bytes{node=\"0\"}");
    }

    @Test
    void metricsNodesAndShowCountBackendCommandsAndErrors() throws Exception {
        String before = get("/metrics").bodyAsString();
        JsonObject restBefore = get("/api/v1/nodes/0").bodyAsJsonObject().getJsonObject("backend_stats");
        // psql sends nothing of its own; every statement here goes to the primary
        node.psql(PG.cluster(), "CREATE TABLE metric_bstats (x int)");
        node.psql(PG.cluster(), "INSERT INTO metric_bstats VALUES (1), (2)");
        node.psql(PG.cluster(), "UPDATE metric_bstats SET x = 3 WHERE x = 1");
        node.psql(PG.cluster(), "DELETE FROM metric_bstats WHERE x = 2");
        org.vxpool.testkit.ProcessResult failed = org.vxpool.testkit.Processes.command(
                org.vxpool.testkit.PgBinaries.get().tool("psql"), "-X", "-At", "-h", "127.0.0.1",
                "-p", Integer.toString(node.proxyPort), "-U", PG.cluster().user(), "-d", "postgres",
                "-c", "INSERT INTO metric_no_such_table VALUES (1)").env("PGPASSWORD", PG.cluster().password()).run();
        assertThat(failed.stderr()).contains("\"metric_no_such_table\" does not exist");
        node.psql(PG.cluster(), "DROP TABLE metric_bstats");

        String after = get("/metrics").bodyAsString();
        assertThat(after).contains("# TYPE vxpool_backend_commands_total counter", "# TYPE vxpool_backend_errors_total counter");
        String[] kinds = {"select", "insert", "update", "delete", "ddl", "other"};
        long[] expected = {0, 1, 1, 1, 2, 0};
        for (int k = 0; k < kinds.length; k++) {
            assertThat(sample(after, "vxpool_backend_commands_total", "kind", kinds[k], 0)
                    - sample(before, "vxpool_backend_commands_total", "kind", kinds[k], 0)).as(kinds[k]).isEqualTo(expected[k]);
            assertThat(sample(after, "vxpool_backend_commands_total", "kind", kinds[k], 1)
                    - sample(before, "vxpool_backend_commands_total", "kind", kinds[k], 1)).as(kinds[k] + " on the standby").isZero();
        }
        assertThat(sample(after, "vxpool_backend_errors_total", "severity", "error", 0)
                - sample(before, "vxpool_backend_errors_total", "severity", "error", 0)).isEqualTo(1);
        assertThat(sample(after, "vxpool_backend_errors_total", "severity", "fatal", 0)
                - sample(before, "vxpool_backend_errors_total", "severity", "fatal", 0)).isZero();

        JsonObject rest = get("/api/v1/nodes/0").bodyAsJsonObject().getJsonObject("backend_stats");
        assertThat(rest.fieldNames()).containsExactly("select_cnt", "insert_cnt", "update_cnt", "delete_cnt", "ddl_cnt",
                "other_cnt", "panic_cnt", "fatal_cnt", "error_cnt");
        assertThat(rest.getLong("insert_cnt") - restBefore.getLong("insert_cnt")).isEqualTo(1);
        assertThat(rest.getLong("ddl_cnt") - restBefore.getLong("ddl_cnt")).isEqualTo(2);
        assertThat(rest.getLong("error_cnt") - restBefore.getLong("error_cnt")).isEqualTo(1);
        // the REST row and SHOW pool_backend_stats read the same counters
        String show = node.psql(PG.cluster(), "SHOW pool_backend_stats").lines().filter(l -> l.startsWith("0|")).findFirst().orElseThrow();
        assertThat(show).endsWith("|" + rest.getLong("select_cnt") + "|" + rest.getLong("insert_cnt") + "|" + rest.getLong("update_cnt")
                + "|" + rest.getLong("delete_cnt") + "|" + rest.getLong("ddl_cnt") + "|" + rest.getLong("other_cnt")
                + "|" + rest.getLong("panic_cnt") + "|" + rest.getLong("fatal_cnt") + "|" + rest.getLong("error_cnt"));
    }

    /** One sample of a counter with labels {@code node} and {@code label} (Prometheus sorts them); 0 when absent. */
    private static double sample(String metrics, String name, String label, String value, int nodeId) {
        String labels = label.compareTo("node") < 0 ? label + "=\"" + value + "\",node=\"" + nodeId + "\""
                : "node=\"" + nodeId + "\"," + label + "=\"" + value + "\"";
        Matcher m = Pattern.compile("(?m)^" + name + "\\{" + Pattern.quote(labels) + "} (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** One sample of {@code vxpool_queries_total}; 0 before the node saw any statement. */
    private static double queries(String metrics, String kind, int nodeId) {
        Matcher m = Pattern.compile("(?m)^vxpool_queries_total\\{kind=\"" + kind + "\",node=\"" + nodeId + "\"} (\\S+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void reloadAppliesWeightsAndHealthCheckPeriodToTheRunningNode() throws Exception {
        String original = Files.readString(node.configFile);
        try {
            Files.writeString(node.configFile, original + "backend_weight1 = 0\nhealth_check_period = 3600\n");
            HttpResponse<Buffer> reload = post("/api/v1/reload");
            assertThat(reload.statusCode()).as(reload.bodyAsString()).isEqualTo(200);
            assertThat(reload.bodyAsJsonObject().getJsonArray("changed")).contains("backend_weight1", "health_check_period");

            node.awaitNodes(rows -> "0.000000".equals(rows.getJsonObject(1).getString("lb_weight")), Duration.ofSeconds(10));
            assertThat(node.psql(PG.cluster(), "SHOW pool_nodes")).contains("|1.000000|", "|0.000000|");
            assertThat(readsOn(1, 20)).as("reads on the standby with weight 0").isZero();
            long checks = healthChecks(1);
            Thread.sleep(3_000);
            assertThat(healthChecks(1) - checks).as("checks in 3 s with a 3600 s period").isLessThanOrEqualTo(1);

            Files.writeString(node.configFile, original);
            assertThat(post("/api/v1/reload").statusCode()).isEqualTo(200);
            node.awaitNodes(rows -> "0.500000".equals(rows.getJsonObject(1).getString("lb_weight")), Duration.ofSeconds(10));
            assertThat(node.psql(PG.cluster(), "SHOW pool_nodes")).contains("|0.500000|");
            long reads = readsOn(1, 40);
            assertThat(reads).as("reads on the standby with weight 1 of 2; " + get("/api/v1/nodes").bodyAsString()).isPositive();
            long again = healthChecks(1);
            // Up to the same 3 s, but no longer than the two checks take.
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (healthChecks(1) - again < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(healthChecks(1) - again).as("checks in 3 s with a 1 s period").isGreaterThanOrEqualTo(2);
        } finally {
            Files.writeString(node.configFile, original);
            post("/api/v1/reload");
        }
    }

    /** How many of {@code sessions} one-SELECT sessions went to node {@code id} (its select_cnt's growth). */
    private static long readsOn(int id, int sessions) throws Exception {
        long before = selectCount(id);
        for (int i = 0; i < sessions; i++) {
            try (Connection c = node.connect(PG.cluster()); Statement st = c.createStatement()) {
                st.executeQuery("SELECT 1").close();
            }
        }
        return selectCount(id) - before;
    }

    private static long selectCount(int id) throws Exception {
        return get("/api/v1/nodes/" + id).bodyAsJsonObject().getLong("select_cnt");
    }

    private static long healthChecks(int id) throws Exception {
        return Long.parseLong(get("/api/v1/nodes/" + id).bodyAsJsonObject().getJsonObject("health_check").getString("total_count"));
    }

    @Test
    void logsTailAndStreamNeedCredentialsAndShowTheFile() throws Exception {
        Files.deleteIfExists(node.logFile);
        HttpResponse<Buffer> missing = send(HttpMethod.GET, "/api/v1/logs", RunningNode.USER, RunningNode.PASSWORD);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.bodyAsJsonObject().getString("error")).isEqualTo("no log file at " + node.logFile);

        Files.writeString(node.logFile, "line one\nline two\nline three\n");
        HttpResponse<Buffer> tail = send(HttpMethod.GET, "/api/v1/logs?tail=2", RunningNode.USER, RunningNode.PASSWORD);
        assertThat(tail.statusCode()).isEqualTo(200);
        assertThat(tail.bodyAsJsonObject().getJsonArray("lines")).containsExactly("line two", "line three");
        assertThat(send(HttpMethod.GET, "/api/v1/logs?tail=x", RunningNode.USER, RunningNode.PASSWORD).statusCode()).isEqualTo(400);

        BlockingQueue<String> stream = openStream("/api/v1/logs/stream", true);
        Thread.sleep(1200);
        Files.writeString(node.logFile, "a new line\n", StandardOpenOption.APPEND);
        assertThat(nextEvent(stream, "log")).isEqualTo("a new line");
    }

    @Test
    void stoppingThePoolKeepsTheApiUpAndStartingItBringsReadinessBack() throws Exception {
        BlockingQueue<String> events = openStream("/api/v1/events", false);
        assertThat(nextEvent(events, "watchdog-error"))
                .isEqualTo("{\"error\":\"the watchdog is off on this node (use_watchdog = off)\"}");
        HttpResponse<Buffer> stopped = post("/api/v1/pool/stop");
        assertThat(stopped.statusCode()).as(stopped.bodyAsString()).isEqualTo(200);
        assertThat(stopped.bodyAsJsonObject().getString("state")).isEqualTo("STOPPED");
        assertThat(post("/api/v1/pool/stop").statusCode()).isEqualTo(409);
        HttpResponse<Buffer> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.bodyAsJsonObject().getString("reason")).isEqualTo("the pool is stopped");
        assertThat(get("/api/v1/nodes").statusCode()).isEqualTo(503);
        HttpResponse<Buffer> sessions = get("/api/v1/sessions");
        assertThat(sessions.statusCode()).isEqualTo(503);
        assertThat(sessions.bodyAsJsonObject().getString("error")).isEqualTo("the pool is stopped on this node");
        assertThat(get("/active").statusCode()).isEqualTo(503);
        // A console must not go on showing the last rows as if they were current.
        assertThat(nextEvent(events, "nodes-error")).isEqualTo("{\"error\":\"the pool is stopped on this node\"}");
        assertThat(nextEvent(events, "watchdog-error")).isEqualTo("{\"error\":\"the watchdog is stopped on this node\"}");

        HttpResponse<Buffer> started = post("/api/v1/pool/start");
        assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(200);
        assertThat(started.bodyAsJsonObject().getString("state")).isEqualTo("RUNNING");
        node.awaitNodes(r -> "primary".equals(r.getJsonObject(0).getString("role")), Duration.ofSeconds(30));
        assertThat(get("/ready").statusCode()).isEqualTo(200);
        assertThat(nextEventMatching(events, "nodes", "\"node_id\":0,", "\"role\":\"primary\"")).isNotNull();
    }

    @Test
    void sessionsShowThisNodesClientsAndBackendPools() throws Exception {
        try (Connection c = node.connect(PG.cluster()); Statement st = c.createStatement()) {
            st.execute("SELECT 1");
            HttpResponse<Buffer> r = get("/api/v1/sessions");
            assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
            JsonObject body = r.bodyAsJsonObject();
            assertThat(body.getInteger("clients")).isGreaterThanOrEqualTo(1);
            assertThat(body.getJsonObject("sessions").getInteger("idle")).isGreaterThanOrEqualTo(1);
            assertThat(body.getJsonArray("pools").stream().map(JsonObject.class::cast)
                    .filter(p -> p.getInteger("node") == 0 && PG.cluster().user().equals(p.getString("user"))
                            && "postgres".equals(p.getString("database")))
                    .mapToInt(p -> p.getInteger("active") + p.getInteger("idle")).sum()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void theConsoleIsServedAtTheRoot() throws Exception {
        HttpResponse<Buffer> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.getHeader("Content-Type")).startsWith("text/html");
        assertThat(page.bodyAsString()).contains("<title>vxpool</title>", "console.js");
        assertThat(get("/console.js").statusCode()).isEqualTo(200);
    }

    /** The data of the next event named {@code name}. */
    private static String nextEvent(BlockingQueue<String> events, String name) throws InterruptedException {
        return nextEventMatching(events, name);
    }

    private static String nextEventMatching(BlockingQueue<String> events, String name, String... fragments)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            String event = events.poll(500, TimeUnit.MILLISECONDS);
            if (event != null && event.startsWith(name + "\n")) {
                String data = event.substring(name.length() + 1);
                boolean all = true;
                for (String f : fragments) {
                    all &= fragmentAfter(data, fragments[0], f);
                }
                if (all) {
                    return data;
                }
            }
        }
        throw new AssertionError("no " + name + " event with " + String.join(", ", fragments));
    }

    /** Whether {@code f} occurs after {@code anchor} (the same node's object in a rows array). */
    private static boolean fragmentAfter(String data, String anchor, String f) {
        int at = data.indexOf(anchor);
        return at >= 0 && data.indexOf(f, at) >= 0;
    }

    /** Events as "name\ndata", read off an SSE stream. */
    private static BlockingQueue<String> openStream(String path, boolean auth) throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        HttpClient client = node.vertx.createHttpClient();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                .setPort(node.adminPort).setURI(path);
        if (auth) {
            options.putHeader("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                    (RunningNode.USER + ":" + RunningNode.PASSWORD).getBytes()));
        }
        StringBuilder pending = new StringBuilder();
        io.vertx.core.Handler<Buffer> frames = buffer -> {
            pending.append(buffer.toString());
            int end;
            while ((end = pending.indexOf("\n\n")) >= 0) {
                String frame = pending.substring(0, end);
                pending.delete(0, end + 2);
                String event = null;
                StringBuilder data = new StringBuilder();
                for (String line : frame.split("\n")) {
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data.append(data.length() > 0 ? "\n" : "").append(line.substring(6));
                    }
                }
                if (event != null) {
                    events.add(event + "\n" + data);
                }
            }
        };
        // The handler is set on the event loop as the headers arrive: set later from this thread,
        // it could miss the events the server sends once at the start (watchdog-error).
        HttpClientResponse response = client.request(options).compose(r -> r.send())
                .map(r -> r.handler(frames)).await(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        return events;
    }
}
