package org.vxpool.admin;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless chromium driven over the Chrome DevTools protocol: one page, JavaScript
 * evaluation for reading, and real mouse and keyboard input events for acting (so a click goes
 * through hit-testing as a user's would).
 */
final class Chromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on ws://([^/]+)/");

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, Promise<JsonObject>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    private Chromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
        socket.textMessageHandler(text -> {
            JsonObject message = new JsonObject(text);
            if (!message.containsKey("id")) {
                collectError(message.getString("method", ""), message.getJsonObject("params", new JsonObject()));
                return;
            }
            Promise<JsonObject> waiting = pending.remove(message.getInteger("id"));
            if (waiting == null) {
                return;
            }
            if (message.containsKey("error")) {
                waiting.fail(message.getJsonObject("error").encode());
            } else {
                waiting.complete(message.getJsonObject("result", new JsonObject()));
            }
        });
    }

    static Chromium start(Vertx vertx, Path profile) throws Exception {
        Files.createDirectories(profile);
        Process process = new ProcessBuilder(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--remote-allow-origins=*", "--window-size=1600,1000",
                "about:blank")).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String endpoint = endpoint(process);
            return new Chromium(process, connect(vertx, endpoint));
        } catch (Exception e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw e;
        }
    }

    /**
     * The page's DevTools socket. Right after start-up chromium sometimes drops the handshake
     * while the page target is still being set up, so a few attempts are allowed.
     */
    private static WebSocket connect(Vertx vertx, String endpoint) throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                String pageUrl = pageSocket(endpoint);
                return vertx.createWebSocketClient(new WebSocketClientOptions()
                                .setMaxFrameSize(16 * 1024 * 1024).setMaxMessageSize(64 * 1024 * 1024))
                        .connect(new WebSocketConnectOptions().setAbsoluteURI(pageUrl).setAllowOriginHeader(false))
                        .await(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                last = e;
                Thread.sleep(500);
            }
        }
        throw last;
    }

    /** host:port from the line chromium prints on stderr once it listens. */
    private static String endpoint(Process process) throws Exception {
        BufferedReader stderr = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (System.nanoTime() < deadline && (line = stderr.readLine()) != null) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                // Keep draining stderr so chromium never blocks on a full pipe.
                Thread drain = new Thread(() -> stderr.lines().forEach(l -> { }), "chromium-stderr");
                drain.setDaemon(true);
                drain.start();
                return m.group(1);
            }
        }
        throw new IllegalStateException("chromium did not report its DevTools endpoint");
    }

    private static String pageSocket(String endpoint) throws Exception {
        HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + endpoint + "/json/list")).build(), HttpResponse.BodyHandlers.ofString());
        for (Object o : new JsonArray(list.body())) {
            JsonObject target = (JsonObject) o;
            if ("page".equals(target.getString("type"))) {
                return target.getString("webSocketDebuggerUrl");
            }
        }
        throw new IllegalStateException("chromium has no page: " + list.body());
    }

    /** Uncaught exceptions, console.error calls and browser log errors, as they arrive. */
    private void collectError(String method, JsonObject params) {
        switch (method) {
            case "Runtime.exceptionThrown" -> errors.add("exception: " + params.getJsonObject("exceptionDetails").encode());
            case "Runtime.consoleAPICalled" -> {
                if ("error".equals(params.getString("type"))) {
                    errors.add("console.error: " + params.getJsonArray("args").encode());
                }
            }
            case "Log.entryAdded" -> {
                JsonObject entry = params.getJsonObject("entry");
                if ("error".equals(entry.getString("level"))) {
                    errors.add(entry.getString("source") + ": " + entry.getString("text") + " " + entry.getString("url", ""));
                }
            }
            default -> { }
        }
    }

    /** From now on, collect the page's errors ({@link #errors()}). */
    void watchErrors() throws Exception {
        call("Runtime.enable", new JsonObject());
        call("Log.enable", new JsonObject());
    }

    /** What {@link #watchErrors()} collected so far. */
    List<String> errors() {
        return List.copyOf(errors);
    }

    /** Emulates a window of this size (a phone, a narrow side panel). */
    void viewport(int width, int height) throws Exception {
        call("Emulation.setDeviceMetricsOverride", new JsonObject().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", false));
    }

    JsonObject call(String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        Promise<JsonObject> reply = Promise.promise();
        pending.put(id, reply);
        socket.writeTextMessage(new JsonObject().put("id", id).put("method", method).put("params", params).encode());
        return reply.future().await(30, TimeUnit.SECONDS);
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", new JsonObject().put("url", url));
    }

    /** The value of a JavaScript expression (JSON-serialisable), or null. */
    Object eval(String expression) throws Exception {
        JsonObject result = call("Runtime.evaluate", new JsonObject().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        return result.getJsonObject("result", new JsonObject()).getValue("value");
    }

    /** Waits until the expression is true; fails with its last value of {@code describe}. */
    void waitFor(String condition, String describe, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(eval("!!(" + condition + ")"))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("never true: " + condition + "; " + describe + " = " + eval(describe));
    }

    /** A real mouse click at the centre of the element. */
    void click(String selector) throws Exception {
        Object box = eval("(() => { const e = document.querySelector(" + new JsonArray().add(selector).encode()
                + "[0]); e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()");
        JsonArray xy = (JsonArray) box;
        for (String type : new String[] {"mousePressed", "mouseReleased"}) {
            call("Input.dispatchMouseEvent", new JsonObject().put("type", type).put("x", xy.getValue(0))
                    .put("y", xy.getValue(1)).put("button", "left").put("clickCount", 1));
        }
    }

    /** Clicks into the field and types the text as keyboard input. */
    void type(String selector, String text) throws Exception {
        click(selector);
        call("Input.insertText", new JsonObject().put("text", text));
    }

    @Override
    public void close() {
        socket.close();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
