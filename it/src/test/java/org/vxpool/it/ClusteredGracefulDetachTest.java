package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vxpool.it.GracefulDetachTest.execute;
import static org.vxpool.it.GracefulDetachTest.value;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.PgNode;

/**
 * pcp_detach_node {@code -g} across two clustered vxpool JVMs: whichever node the request reaches,
 * the wait holds new clients and applies {@code client_idle_limit_in_recovery} on the proxies of
 * both. A client of node b that set it to -1 goes at once, a new client of node b is held, and a
 * client of node a (0, the default) keeps the detach waiting until it leaves; then node 1 is down
 * on both nodes and the held client is in.
 */
class ClusteredGracefulDetachTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1));

    private static final String ADMIN = "admin";
    private static final String PASSWORD = "detach-me";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AdminHttp admin = new AdminHttp(http, ADMIN, PASSWORD);
    private final StartedNodes started = new StartedNodes();

    @TempDir
    Path dir;

    @AfterEach
    void killEverything() {
        started.close();
    }

    @Test
    void theWaitHoldsAndDisconnectsClientsOfEveryNode() throws Exception {
        PgCluster pg = PG.cluster();
        NodeFiles a = NodeFiles.allocate(dir, "a");
        NodeFiles b = NodeFiles.allocate(dir, "b");
        List<Integer> ports = pg.nodes().stream().map(PgNode::port).toList();
        a.writeConfig(true, List.of(b), ports, settings(pg, a));
        b.writeConfig(true, List.of(a), ports, settings(pg, b));
        started.start(a);
        started.start(b);
        VxpoolProcess.awaitMembers(a.healthUrl(), 2, Duration.ofSeconds(90));
        VxpoolProcess.awaitMembers(b.healthUrl(), 2, Duration.ofSeconds(90));
        for (NodeFiles n : List.of(a, b)) {
            admin.awaitJson(n, "/api/v1/view", v -> "UP".equals(node(v, 1).getString("status")), WAIT);
        }

        Connection stays = connect(a);
        Connection atOnce = connect(b);
        try {
            execute(atOnce, "PGPOOL SET client_idle_limit_in_recovery = -1");
            assertThat(value(stays, "SELECT 1")).isEqualTo("1");

            CompletableFuture<HttpResponse<String>> detach = CompletableFuture.supplyAsync(() -> {
                try {
                    return admin.send(b, "POST", "/api/v1/nodes/1/detach?gracefully=true", true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            admin.awaitJson(b, "/api/v1/sessions", s -> s.getInteger("clients") == 0, WAIT);
            CompletableFuture<Connection> late = CompletableFuture.supplyAsync(() -> {
                try {
                    return connect(b);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            admin.awaitJson(b, "/api/v1/sessions", s -> s.getJsonObject("sessions").getInteger("held") == 1, WAIT);
            assertThat(detach).as("waiting for node a's client").isNotDone();
            assertThat(late).isNotDone();

            stays.close();
            HttpResponse<String> reply = detach.get(60, TimeUnit.SECONDS);
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            assertThat(new JsonObject(reply.body()).getString("message")).isEqualTo("node 1 detached");
            try (Connection heldOne = late.get(30, TimeUnit.SECONDS)) {
                assertThat(value(heldOne, "SELECT 1")).isEqualTo("1");
            }
            for (NodeFiles n : List.of(a, b)) {
                admin.awaitJson(n, "/api/v1/view", v -> "DOWN".equals(node(v, 1).getString("status")), WAIT);
            }
            assertThatThrownBy(() -> value(atOnce, "SELECT 1")).isInstanceOfSatisfying(PSQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("57P05");
                assertThat(e.getServerErrorMessage().getMessage())
                        .isEqualTo("terminating connection due to client_idle_limit_in_recovery");
            });
        } finally {
            stays.close();
            atOnce.close();
        }
    }

    private static List<String> settings(PgCluster pg, NodeFiles node) throws Exception {
        List<String> lines = node.writeAuthFiles(pg, ADMIN, PASSWORD);
        lines.addAll(List.of("enable_consensus_with_half_votes = on", "recovery_timeout = 90", "load_balance_mode = off"));
        return lines;
    }

    private static JsonObject node(JsonObject view, int id) {
        return view.getJsonArray("nodes").getJsonObject(id);
    }

    private static Connection connect(NodeFiles node) throws SQLException {
        return InProcessVxpool.connect("jdbc:postgresql://127.0.0.1:" + node.proxyPort() + "/postgres", PG.cluster());
    }
}
