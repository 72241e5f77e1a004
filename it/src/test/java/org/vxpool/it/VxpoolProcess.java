package org.vxpool.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vxpool.testkit.Processes;

/** Runs the launcher in a JVM of its own, on this test's class path, and asks its admin API. */
public final class VxpoolProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Hazelcast's JDK internals, as the fat jar's manifest grants them; small heaps for a shared machine. */
    private static final List<String> JVM_OPTIONS = List.of(
            "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private VxpoolProcess() {
    }

    /** {@code java ... org.vxpool.launcher.Main ARGS}. */
    static Processes.Command launcher(String... args) {
        return Processes.command(launcherCommand(args)).timeout(Duration.ofSeconds(90));
    }

    /** The command line of {@link #launcher}, for callers that start it another way (in a namespace). */
    public static List<String> launcherCommand(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> argv = new ArrayList<>();
        argv.add(java);
        argv.addAll(JVM_OPTIONS);
        argv.addAll(LauncherClassData.options(java, JVM_OPTIONS, testClassPath()));
        argv.add("-cp");
        argv.add(LauncherClassData.classPath(testClassPath()));
        argv.add("org.vxpool.launcher.Main");
        argv.addAll(List.of(args));
        return argv;
    }

    /** Surefire runs tests from a manifest-only jar; the real class path is in its own property. */
    public static String testClassPath() {
        return Optional.ofNullable(System.getProperty("surefire.test.class.path"))
                .orElse(System.getProperty("java.class.path"));
    }

    /** The {@code /health} answer, or empty while nothing listens. */
    static Optional<Health> health(String url) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Optional.of(new Health(response.statusCode(), new JsonObject(response.body())));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls until the node reports {@code size} cluster members; fails with the last answer. */
    static Health awaitMembers(String url, int size, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<Health> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            last = health(url);
            if (last.isPresent() && last.get().status() == 200 && last.get().clusterSize() == size) {
                return last.get();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no " + size + " members at " + url + " after " + timeout.toSeconds() + " s; last: "
                + last.map(Health::toString).orElse("no answer"));
    }

    /** A {@code /health} response. */
    record Health(int status, JsonObject body) {

        JsonObject check(String id) {
            JsonArray checks = body.getJsonArray("checks", new JsonArray());
            return checks.stream().map(JsonObject.class::cast)
                    .filter(c -> id.equals(c.getString("id")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no check " + id + " in " + body.encode()));
        }

        JsonObject cluster() {
            return check("cluster").getJsonObject("data");
        }

        int clusterSize() {
            return cluster().getInteger("size", -1);
        }
    }
}
