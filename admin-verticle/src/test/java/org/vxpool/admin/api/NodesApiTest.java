package org.vxpool.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vxpool.admin.AdminVerticle;
import org.vxpool.common.Addresses;
import org.vxpool.testkit.FreePorts;

class NodesApiTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void answersWithTheWatchdogsViewAnd503WithoutOne() throws Exception {
        int port = FreePorts.find();
        vertx.deployVerticle(new AdminVerticle(List.of("127.0.0.1"), port)).await();

        HttpResponse<String> none = get(port);
        assertThat(none.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(none.body()).getString("error")).startsWith("no cluster view: ");

        JsonObject view = new JsonObject().put("epoch", 7).put("nodes", new JsonArray()
                .add(new JsonObject().put("id", 0).put("status", "DOWN")));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.CLUSTER_VIEW_GET, msg -> msg.reply(view));
        HttpResponse<String> answer = get(port);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("content-type")).contains("application/json");
        assertThat(new JsonObject(answer.body())).isEqualTo(view);
    }

    private static HttpResponse<String> get(int port) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + NodesApi.PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
