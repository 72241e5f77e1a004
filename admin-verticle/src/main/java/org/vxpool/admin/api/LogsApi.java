package org.vxpool.admin.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code GET /api/v1/logs?tail=N} (the last N lines of {@code <logdir>/vxpool.log}, default 100)
 * and {@code GET /api/v1/logs/stream} (Server-Sent Events, one {@code data:} line per new log
 * line). Both need credentials: the log names users, hosts and commands.
 */
public final class LogsApi {
    private static final int DEFAULT_TAIL = 100;
    private static final long POLL_MS = 500;

    private final Vertx vertx;
    private final Path file;

    public LogsApi(Vertx vertx, Path file) {
        this.vertx = vertx;
        this.file = file;
    }

    public void routes(Router api) {
        api.get("/logs").handler(this::tail);
        api.get("/logs/stream").handler(this::stream);
    }

    private void tail(RoutingContext ctx) {
        int n;
        try {
            String raw = ctx.queryParams().get("tail");
            n = raw == null ? DEFAULT_TAIL : Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            Replies.error(ctx, 400, "tail must be a number of lines");
            return;
        }
        if (n < 0) {
            Replies.error(ctx, 400, "tail must not be negative");
            return;
        }
        int lines = Math.min(n, LogTail.MAX_LINES);
        vertx.executeBlocking(() -> LogTail.last(file, lines)).onComplete(read -> {
            if (read.succeeded()) {
                Replies.json(ctx, 200, new JsonObject().put("file", file.toString()).put("lines", new JsonArray(read.result())));
            } else if (read.cause() instanceof NoSuchFileException) {
                Replies.error(ctx, 404, "no log file at " + file);
            } else {
                Replies.error(ctx, 500, "could not read " + file + ": " + read.cause().getMessage());
            }
        });
    }

    /** Polls the file's size off the event loop; the stream starts at the current end. */
    private void stream(RoutingContext ctx) {
        HttpServerResponse response = Sse.open(ctx);
        long[] offset = {-1};
        boolean[] busy = {false};
        long timer = vertx.setPeriodic(0, POLL_MS, id -> {
            if (busy[0]) {
                return;
            }
            busy[0] = true;
            vertx.executeBlocking(() -> offset[0] < 0 ? new LogTail.Chunk(java.util.List.of(), LogTail.size(file))
                    : LogTail.since(file, offset[0])).onComplete(read -> {
                busy[0] = false;
                if (read.succeeded()) {
                    offset[0] = read.result().offset();
                    read.result().lines().forEach(line -> Sse.send(response, "log", line));
                }
            });
        });
        response.closeHandler(v -> vertx.cancelTimer(timer));
    }
}
