package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.admin.auth.PcpAuthFile;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgNode;

/**
 * POST /reload on the Standby vxpool node of a watchdog pair: its new backend weight reaches the
 * Active node ({@code vxpool.active.weights}), which puts it in the view of both; and its
 * {@code log_min_messages} turns DEBUG lines of its own log on and off again.
 */
class ClusteredReloadTest {
    private static final String ADMIN = "admin";
    private static final String PASSWORD = "reload-me";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final AdminHttp admin = new AdminHttp(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(),
            ADMIN, PASSWORD);
    private final StartedNodes started = new StartedNodes();

    @TempDir
    Path dir;

    @AfterEach
    void killEverything() {
        started.close();
    }

    @Test
    void aStandbysReloadedWeightReachesBothNodesAndItsLogLevelFollows() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).start()) {
            NodeFiles a = NodeFiles.allocate(dir, "a");
            NodeFiles b = NodeFiles.allocate(dir, "b");
            List<Integer> ports = pg.nodes().stream().map(PgNode::port).toList();
            a.writeConfig(true, List.of(b), ports, settings(pg, a));
            b.writeConfig(true, List.of(a), ports, settings(pg, b));
            started.start(a);
            started.start(b);
            VxpoolProcess.awaitMembers(a.healthUrl(), 2, Duration.ofSeconds(90));
            VxpoolProcess.awaitMembers(b.healthUrl(), 2, Duration.ofSeconds(90));
            JsonObject infoA = awaitJson(a, "/api/v1/watchdog", w -> w.getInteger("aliveRemoteNodes", 0) == 1
                    && List.of("LEADER", "STANDBY").contains(w.getString("localState")));
            NodeFiles active = "LEADER".equals(infoA.getString("localState")) ? a : b;
            NodeFiles standby = active == a ? b : a;
            for (NodeFiles n : List.of(a, b)) {
                awaitJson(n, "/api/v1/view", v -> v.getJsonArray("nodes").size() == 2);
                assertThat(lbWeight(n, 1)).isEqualTo("0.500000");
            }
            assertThat(logLines(standby, "proxy reloaded")).isZero();

            String original = Files.readString(standby.config());
            reload(standby, original + "backend_weight1 = 0\nlog_min_messages = debug1\n", "backend_weight1", "log_min_messages");
            for (NodeFiles n : List.of(active, standby)) {
                awaitNodes(n, rows -> "0.000000".equals(rows.getJsonObject(1).getString("lb_weight")));
                assertThat(lbWeight(n, 0)).isEqualTo("1.000000");
            }
            assertThat(ClusteredRecoveryTest.poolNodes(pg, active).get(1)).containsEntry("lb_weight", "0.000000");
            awaitLog(standby, "log_min_messages = debug1: org.vxpool logs at DEBUG", 1);

            // The level is set by then: another reload's DEBUG line from the proxies shows up.
            long debugLines = logLines(standby, "proxy reloaded");
            reload(standby, original + "backend_weight1 = 0\nlog_min_messages = debug1\nhealth_check_period = 2\n", "health_check_period");
            awaitLog(standby, "proxy reloaded", debugLines + 1);

            long levelLines = logLines(standby, "log_min_messages = warning: org.vxpool logs at INFO");
            reload(standby, original, "backend_weight1", "log_min_messages", "health_check_period");
            for (NodeFiles n : List.of(active, standby)) {
                awaitNodes(n, rows -> "0.500000".equals(rows.getJsonObject(1).getString("lb_weight")));
            }
            awaitLog(standby, "log_min_messages = warning: org.vxpool logs at INFO", levelLines + 1);
            Thread.sleep(1_000);

            // Back at warning: the same reload writes no DEBUG line any more.
            debugLines = logLines(standby, "proxy reloaded");
            long reloadLines = logLines(standby, "changed: [health_check_period]");
            reload(standby, original + "health_check_period = 2\n", "health_check_period");
            awaitLog(standby, "changed: [health_check_period]", reloadLines + 1);
            Thread.sleep(2_000);
            assertThat(logLines(standby, "proxy reloaded")).as("DEBUG lines at log_min_messages = warning").isEqualTo(debugLines);
        }
    }

    private void reload(NodeFiles node, String config, String... changed) throws Exception {
        Files.writeString(node.config(), config);
        HttpResponse<String> reload = send(node, "POST", "/api/v1/reload");
        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
        assertThat(new JsonObject(reload.body()).getJsonArray("changed")).contains((Object[]) changed);
    }

    private static List<String> settings(PgCluster pg, NodeFiles node) throws Exception {
        Files.writeString(node.dir().resolve("pcp.conf"), ADMIN + ":" + PcpAuthFile.md5Hex(PASSWORD) + "\n");
        return List.of(
                "enable_consensus_with_half_votes = on",
                "health_check_period = 1",
                "health_check_timeout = 10",
                "health_check_max_retries = 2",
                "health_check_user = '" + pg.user() + "'",
                "health_check_password = '" + pg.password() + "'",
                "sr_check_user = '" + pg.user() + "'",
                "sr_check_password = '" + pg.password() + "'");
    }

    private String lbWeight(NodeFiles node, int id) throws Exception {
        return new JsonObject(send(node, "GET", "/api/v1/nodes/" + id).body()).getString("lb_weight");
    }

    private void awaitNodes(NodeFiles node, Predicate<JsonArray> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = send(node, "GET", "/api/v1/nodes").body();
            if (condition.test(new JsonArray(last))) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(node.name() + " /api/v1/nodes never matched; last: " + last);
    }

    /** Lines of the node's log containing {@code text}, through {@code GET /api/v1/logs?tail=}. */
    private long logLines(NodeFiles node, String text) throws Exception {
        HttpResponse<String> tail = send(node, "GET", "/api/v1/logs?tail=10000");
        assertThat(tail.statusCode()).as(tail.body()).isEqualTo(200);
        return new JsonObject(tail.body()).getJsonArray("lines").stream().map(String::valueOf).filter(l -> l.contains(text)).count();
    }

    /** Waits for at least {@code count} such lines; returns how many there are. */
    private long awaitLog(NodeFiles node, String text, long count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (logLines(node, text) < count && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        long lines = logLines(node, text);
        assertThat(lines).as(node.name() + "'s log lines with: " + text).isGreaterThanOrEqualTo(count);
        return lines;
    }

    private JsonObject awaitJson(NodeFiles node, String path, Predicate<JsonObject> condition) throws Exception {
        return admin.awaitJson(node, path, condition, WAIT);
    }

    private HttpResponse<String> send(NodeFiles node, String method, String path) throws Exception {
        return admin.send(node, method, path, true);
    }
}
