package org.vxpool.admin.api;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Server-Sent Events framing. */
final class Sse {
    private Sse() {
    }

    static HttpServerResponse open(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        // The comment makes the headers leave now, so a client knows the stream is open.
        response.write(": vxpool\n\n");
        return response;
    }

    /**
     * One event; a multi-line payload becomes several data lines, as the format requires. A client
     * that does not keep up loses events rather than making the server queue them without bound;
     * the next nodes/watchdog event carries the whole state again.
     */
    static void send(HttpServerResponse response, String event, String data) {
        if (response.closed() || response.ended() || response.writeQueueFull()) {
            return;
        }
        StringBuilder frame = new StringBuilder("event: ").append(event).append('\n');
        for (String line : data.split("\n", -1)) {
            frame.append("data: ").append(line).append('\n');
        }
        response.write(frame.append('\n').toString());
    }
}
