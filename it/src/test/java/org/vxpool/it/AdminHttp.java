package org.vxpool.it;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Predicate;

/** Requests to a test node's admin API, with the credentials of the pcp.conf the test wrote. */
final class AdminHttp {
    private final HttpClient http;
    private final String authorization;

    AdminHttp(HttpClient http, String user, String password) {
        this.http = http;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> send(NodeFiles node, String method, String path, boolean auth) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path))
                .timeout(Duration.ofSeconds(150)).method(method, HttpRequest.BodyPublishers.noBody());
        if (auth) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code GET path} until a 200 answer satisfies {@code condition}; fails with the last answer. */
    JsonObject awaitJson(NodeFiles node, String path, Predicate<JsonObject> condition, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = send(node, "GET", path, false);
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200 && condition.test(new JsonObject(r.body()))) {
                    return new JsonObject(r.body());
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError(node.name() + " " + path + " never matched; last: " + last);
    }
}
