package org.vxpool.admin.api;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON answers and the mapping of event-bus failures to HTTP status codes. */
public final class Replies {
    private Replies() {
    }

    public static void json(RoutingContext ctx, int status, JsonObject body) {
        send(ctx, status, body.encodePrettily());
    }

    public static void json(RoutingContext ctx, int status, JsonArray body) {
        send(ctx, status, body.encodePrettily());
    }

    /** Every error body is {@code {"error": "..."}}. */
    public static void error(RoutingContext ctx, int status, String message) {
        json(ctx, status, new JsonObject().put("error", message));
    }

    /**
     * A failed request to another verticle: nobody listening means the service is not running
     * here (or no Active node serves it), a timeout that it did not answer, a recipient failure
     * that it refused, with its reason.
     */
    public static void busFailure(RoutingContext ctx, Throwable failure, String service) {
        if (failure instanceof ReplyException re) {
            if (re.failureType() == ReplyFailure.NO_HANDLERS) {
                error(ctx, 503, service + " is not available (nothing serves " + re.getMessage().replaceFirst(
                        "^No handlers for address ", "") + ")");
            } else if (re.failureType() == ReplyFailure.TIMEOUT) {
                error(ctx, 504, service + " did not answer in time");
            } else {
                error(ctx, 409, re.getMessage());
            }
            return;
        }
        error(ctx, 500, service + " failed: " + failure.getMessage());
    }

    public static boolean noHandlers(Throwable failure) {
        return failure instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS;
    }

    private static void send(RoutingContext ctx, int status, String text) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(text);
    }
}
