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
