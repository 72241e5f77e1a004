package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vxpool.common.config.RecoveryMode;
import org.vxpool.testkit.PgBinaries;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgNode;
import org.vxpool.testkit.ProcessResult;
import org.vxpool.testkit.Processes;
import org.vxpool.testkit.RecoveryFixture;

/**
 * The tutorial's recovery step with two clustered vxpool JVMs (watchdog on) in front of a real
 * primary and standby: the primary is killed, node 1 takes over, and the recovery button (REST on
 * the Standby vxpool node, forwarded to the Active one; {@code vxpoolctl recover 0} in local mode)
 * rebuilds node 0 as a standby of node 1, once per {@code recovery_mode}. Afterwards node 0 streams from node 1, is up/standby in
 * {@code SHOW pool_nodes} on both vxpool nodes, and takes reads by its weight; the Standby node's
 * console stream carried the progress. The watchdog endpoints, watchdog metrics and
 * {@code vxpoolctl watchdog-info -v} are checked on the running pair first; at the end the pool
 * stop of the Active node hands its role to the other.
 */
class ClusteredRecoveryTest {
    private static final String ADMIN = "admin";
    private static final String PASSWORD = "recover-me";
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** node 0 (the recovered standby) : node 1 (the new primary). */
    private static final int WEIGHT0 = 3;
    private static final int WEIGHT1 = 1;
    private static final int READS = 100;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AdminHttp admin = new AdminHttp(http, ADMIN, PASSWORD);
    private final StartedNodes started = new StartedNodes();

    @TempDir
    Path dir;

    @AfterEach
    void killEverything() {
        started.close();
    }

    @ParameterizedTest
    @EnumSource(RecoveryMode.class)
    void theOldPrimaryComesBackAsAStandbyOnEveryNodeAndTakesReadsByWeight(RecoveryMode mode) throws Exception {
        try {
            recoverWithTwoVxpoolNodes(mode);
        } catch (AssertionError e) {
            for (String node : List.of("a", "b")) {
                Path log = dir.resolve(node).resolve("log/vxpool.log");
                if (Files.exists(log)) {
                    List<String> lines = Files.readAllLines(log);
                    System.out.println("---- " + log + " (last 60 lines)\n"
                            + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
                }
            }
            throw e;
        }
    }

    private void recoverWithTwoVxpoolNodes(RecoveryMode mode) throws Exception {
        try (PgCluster pg = RecoveryFixture.start(dir.resolve("pg"))) {
            NodeFiles a = NodeFiles.allocate(dir, "a");
            NodeFiles b = NodeFiles.allocate(dir, "b");
            List<Integer> ports = pg.nodes().stream().map(PgNode::port).toList();
            a.writeConfig(true, List.of(b), ports, settings(pg, a, mode));
            b.writeConfig(true, List.of(a), ports, settings(pg, b, mode));
            started.start(a);
            started.start(b);
            VxpoolProcess.awaitMembers(a.healthUrl(), 2, Duration.ofSeconds(90));
            VxpoolProcess.awaitMembers(b.healthUrl(), 2, Duration.ofSeconds(90));
            for (NodeFiles n : List.of(a, b)) {
                awaitView(n, v -> "UP".equals(status(v, 0)) && "PRIMARY".equals(role(v, 0)) && routable(status(v, 1)));
            }
            NodeFiles active = checkWatchdogEndpoints(a, b);
            NodeFiles standby = active == a ? b : a;

            pg.node(0).kill();
            for (NodeFiles n : List.of(a, b)) {
                awaitView(n, v -> "DOWN".equals(status(v, 0)) && "PRIMARY".equals(role(v, 1)));
            }
            Sse progress = Sse.open(http, standby.adminPort(), "/api/v1/events");
            try {
                // The REST call in one mode, vxpoolctl in the other: both go through the Standby node's API.
                if (mode == RecoveryMode.EXTENSION) {
                    HttpResponse<String> reply = send(standby, "POST", "/api/v1/nodes/0/recovery", true);
                    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
                    assertThat(new JsonObject(reply.body()).getString("message")).isEqualTo("node 0 recovered as a standby of node 1");
                } else {
                    ProcessResult ctl = vxpoolctl(standby, "recover", "0");
                    assertThat(ctl.exitCode()).as(ctl.output()).isZero();
                    assertThat(ctl.stdout()).isEqualTo("vxpoolctl recover -- Command Successful\n"
                            + "node 0 recovered as a standby of node 1\n");
                }
                assertThat(progress.await("recovery", p -> "done".equals(p.getString("state")), Duration.ofSeconds(10))
                        .getJsonArray("stages")).hasSize(4);
                assertThat(progress.events("recovery").stream().map(p -> p.getString("stage") + "/" + p.getString("state")))
                        .containsSubsequence("first_stage/running", "remote_start/running", "wait_for_connections/running",
                                "failback/done");
            } finally {
                progress.close();
            }

            assertThat(pg.node(1).queryValue("SELECT state FROM pg_stat_replication WHERE application_name = 'node0'"))
                    .isEqualTo("streaming");
            assertThat(pg.node(0).isInRecovery()).isTrue();
            for (NodeFiles n : List.of(a, b)) {
                awaitView(n, v -> "UP".equals(status(v, 0)) && "STANDBY".equals(role(v, 0)));
                Map<String, String> row = poolNodes(pg, n).get(0);
                assertThat(row).as("SHOW pool_nodes on " + n.name()).containsEntry("status", "up").containsEntry("role", "standby");
                assertThat(poolNodes(pg, n).get(1)).containsEntry("role", "primary");
            }
            checkReadsByWeight(pg, a, b);

            // pgpoolAdmin's stop button on the Active node hands the Active role over.
            HttpResponse<String> stop = send(active, "POST", "/api/v1/pool/stop", true);
            assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
            awaitJson(standby, "/api/v1/watchdog", w -> "LEADER".equals(w.getString("localState")));
            assertThat(send(standby, "GET", "/active", false).statusCode()).isEqualTo(200);
            assertThat(send(active, "GET", "/active", false).statusCode()).isEqualTo(503);
        }
    }

    private static List<String> settings(PgCluster pg, NodeFiles node, RecoveryMode mode) throws Exception {
        List<String> lines = node.writeAuthFiles(pg, ADMIN, PASSWORD);
        lines.addAll(List.of(
                "enable_consensus_with_half_votes = on",
                "builtin_promote = on",
                "search_primary_node_timeout = 30",
                "recovery_timeout = 90",
                "recovery_user = '" + pg.user() + "'",
                "recovery_password = '" + pg.password() + "'"));
        for (PgNode n : pg.nodes()) {
            lines.add("backend_data_directory" + n.id() + " = '" + n.dataDir() + "'");
            lines.add("backend_application_name" + n.id() + " = '" + n.applicationName() + "'");
            lines.add("backend_weight" + n.id() + " = " + (n.id() == 0 ? WEIGHT0 : WEIGHT1));
        }
        if (mode == RecoveryMode.LOCAL) {
            // Node 1's copy of the scripts survives the rebuild of node 0's data directory.
            Path wrapper = pg.node(1).dataDir().resolve("recovery_local");
            lines.add("recovery_mode = 'local'");
            lines.add("recovery_1st_stage_command = '" + wrapper + " recovery_1st_stage'");
            lines.add("recovery_remote_start_command = '" + wrapper + " pgpool_remote_start'");
        } else {
            lines.add("recovery_1st_stage_command = 'recovery_1st_stage'");
        }
        return lines;
    }

    /**
     * {@code /active} answers 200 on the leader only, {@code /api/v1/watchdog} on both shows both
     * members, the same leader, quorum and epoch, and {@code vxpoolctl watchdog-info -v} prints it.
     *
     * @return the Active node
     */
    private NodeFiles checkWatchdogEndpoints(NodeFiles a, NodeFiles b) throws Exception {
        JsonObject infoA = awaitWatchdog(a);
        JsonObject infoB = awaitWatchdog(b);
        String leader = infoA.getString("leaderNodeName");
        assertThat(infoB.getString("leaderNodeName")).isEqualTo(leader);
        NodeFiles active = infoA.getString("localState").equals("LEADER") ? a : b;
        NodeFiles standby = active == a ? b : a;
        JsonObject activeInfo = active == a ? infoA : infoB;
        assertThat((active == a ? infoB : infoA).getString("localState")).isEqualTo("STANDBY");

        HttpResponse<String> yes = send(active, "GET", "/active", false);
        assertThat(yes.statusCode()).as(yes.body()).isEqualTo(200);
        assertThat(new JsonObject(yes.body()).getBoolean("active")).isTrue();
        HttpResponse<String> no = send(standby, "GET", "/active", false);
        assertThat(no.statusCode()).as(no.body()).isEqualTo(503);
        assertThat(no.body()).contains("this node is STANDBY");

        for (JsonObject info : List.of(infoA, infoB)) {
            assertThat(info.getInteger("totalNodes")).isEqualTo(2);
            assertThat(info.getInteger("aliveRemoteNodes")).isEqualTo(1);
            assertThat(info.getString("quorumState")).isEqualTo("QUORUM EXIST");
            JsonArray members = info.getJsonArray("members");
            JsonObject leading = members.stream().map(JsonObject.class::cast).filter(m -> "LEADER".equals(m.getString("state")))
                    .findFirst().orElseThrow();
            assertThat(leading.getString("name")).isEqualTo(leader);
            assertThat(leading.getLong("epoch")).as("the leader's term as " + info.getString("localNodeName") + " sees it")
                    .isEqualTo(activeInfo.getLong("epoch")).isPositive();
            assertThat(members).hasSize(2);
            assertThat(members.stream().map(JsonObject.class::cast).map(m -> m.getString("state")))
                    .containsExactlyInAnyOrder("LEADER", "STANDBY");
            assertThat(members.stream().map(JsonObject.class::cast).filter(m -> m.getBoolean("local")).count()).isEqualTo(1);
        }

        assertThat(send(active, "GET", "/metrics", false).body()).contains("vxpool_watchdog_state{state=\"LEADER\"} 1.0",
                "vxpool_watchdog_quorum 1.0", "vxpool_watchdog_alive_remote_nodes 1.0");
        assertThat(send(standby, "GET", "/metrics", false).body()).contains("vxpool_watchdog_state{state=\"STANDBY\"} 1.0",
                "vxpool_watchdog_state{state=\"LEADER\"} 0.0");

        ProcessResult ctl = vxpoolctl(standby, "watchdog-info", "-v");
        assertThat(ctl.exitCode()).as(ctl.output()).isZero();
        assertThat(ctl.stdout()).contains("Total Nodes              : 2", "Quorum state             : QUORUM EXIST",
                "Leader Node Name         : " + leader, "Status Name       : LEADER", "Status Name       : STANDBY");
        return active;
    }

    /** {@code bin/vxpoolctl -h 127.0.0.1 -p <node's admin port> -U admin ARGS}, password from the environment. */
    private static ProcessResult vxpoolctl(NodeFiles node, String... args) {
        List<String> argv = new ArrayList<>(List.of(Path.of("").toAbsolutePath().resolveSibling("bin")
                .resolve("vxpoolctl").toString(), "-h", "127.0.0.1", "-p", Integer.toString(node.adminPort()), "-U", ADMIN));
        argv.addAll(List.of(args));
        return Processes.command(argv).env("VXPOOLCTL_CLASSPATH", VxpoolProcess.testClassPath())
                .env("VXPOOL_PASSWORD", PASSWORD).timeout(Duration.ofSeconds(150)).run();
    }

    /** Reads through both vxpool nodes: node 0 gets its share by weight, as both nodes count it. */
    private static void checkReadsByWeight(PgCluster pg, NodeFiles a, NodeFiles b) throws Exception {
        long before0 = selectCount(pg, a, 0);
        long before1 = selectCount(pg, a, 1);
        readSessions(pg, a, READS);
        long on0 = selectCount(pg, a, 0) - before0;
        long on1 = selectCount(pg, a, 1) - before1;
        System.out.printf("reads after recovery through %s: node 0 %d, node 1 %d (weights %d:%d)%n", a.name(), on0, on1,
                WEIGHT0, WEIGHT1);
        assertThat(on0 + on1).isEqualTo(READS);
        // 3:1 expects 75 of 100 (sd 4.3); an even split would give 50 (sd 5).
        assertThat(on0).as("reads on the recovered node 0").isBetween(62L, 90L);

        long beforeB = selectCount(pg, b, 0);
        readSessions(pg, b, 20);
        assertThat(selectCount(pg, b, 0) - beforeB).as("reads on node 0 through " + b.name()).isPositive();
    }

    private static void readSessions(PgCluster pg, NodeFiles node, int sessions) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + node.proxyPort() + "/postgres";
        for (int i = 0; i < sessions; i++) {
            try (Connection c = InProcessVxpool.connect(url, pg); Statement st = c.createStatement()) {
                st.executeQuery("SELECT 1").close();
            }
        }
    }

    private static long selectCount(PgCluster pg, NodeFiles node, int id) {
        return Long.parseLong(poolNodes(pg, node).get(id).get("select_cnt"));
    }

    /** {@code SHOW pool_nodes} through the node's proxy with psql, one column map per row. */
    static List<Map<String, String>> poolNodes(PgCluster pg, NodeFiles node) {
        ProcessResult r = Processes.command(PgBinaries.get().tool("psql"), "-X", "-A", "-F", "|", "-P", "footer=off",
                "-h", "127.0.0.1", "-p", Integer.toString(node.proxyPort()), "-U", pg.user(), "-d", "postgres",
                "-c", "SHOW pool_nodes").env("PGPASSWORD", pg.password()).run();
        assertThat(r.exitCode()).as(r.output()).isZero();
        String[] lines = r.stdout().strip().split("\n");
        String[] header = lines[0].split("\\|", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split("\\|", -1);
            Map<String, String> row = new java.util.LinkedHashMap<>();
            for (int c = 0; c < header.length; c++) {
                row.put(header[c], c < cells.length ? cells[c] : "");
            }
            rows.add(row);
        }
        return rows;
    }

    private static String status(JsonObject view, int id) {
        return view.getJsonArray("nodes").getJsonObject(id).getString("status");
    }

    private static String role(JsonObject view, int id) {
        return view.getJsonArray("nodes").getJsonObject(id).getString("role");
    }

    private static boolean routable(String status) {
        return "UP".equals(status) || "WAITING".equals(status);
    }

    private JsonObject awaitView(NodeFiles node, Predicate<JsonObject> condition) throws Exception {
        return awaitJson(node, "/api/v1/view", condition);
    }

    /** Until both members are in the info and one of them leads. */
    private JsonObject awaitWatchdog(NodeFiles node) throws Exception {
        return awaitJson(node, "/api/v1/watchdog", w -> w.getJsonArray("members", new JsonArray()).size() == 2
                && w.getInteger("aliveRemoteNodes", 0) == 1 && w.getString("leaderNodeName") != null
                && List.of("LEADER", "STANDBY").contains(w.getString("localState")));
    }

    private JsonObject awaitJson(NodeFiles node, String path, Predicate<JsonObject> condition) throws Exception {
        return admin.awaitJson(node, path, condition, WAIT);
    }

    private HttpResponse<String> send(NodeFiles node, String method, String path, boolean auth) throws Exception {
        return admin.send(node, method, path, auth);
    }

    /** Collects a Server-Sent Events stream's events on a thread of its own. */
    private static final class Sse implements AutoCloseable {
        private final List<String[]> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final java.util.concurrent.CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> response;

        private Sse(HttpClient http, int port, String path) {
            response = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofLines());
            response.thenAcceptAsync(r -> {
                String[] event = {null};
                r.body().forEach(line -> {
                    if (line.startsWith("event: ")) {
                        event[0] = line.substring(7);
                    } else if (line.startsWith("data: ") && event[0] != null) {
                        events.add(new String[] {event[0], line.substring(6)});
                    }
                });
            });
        }

        static Sse open(HttpClient http, int port, String path) throws Exception {
            Sse sse = new Sse(http, port, path);
            // Connected once the first event (pool) arrived.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (sse.events.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(sse.events).as("events on " + path).isNotEmpty();
            return sse;
        }

        List<JsonObject> events(String name) {
            return events.stream().filter(e -> e[0].equals(name)).map(e -> new JsonObject(e[1])).collect(Collectors.toList());
        }

        JsonObject await(String name, Predicate<JsonObject> condition, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (JsonObject e : events(name)) {
                    if (condition.test(e)) {
                        return e;
                    }
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no matching " + name + " event; got " + events(name));
        }

        @Override
        public void close() {
            response.thenAccept(r -> r.body().close());
            response.cancel(true);
        }
    }
}
