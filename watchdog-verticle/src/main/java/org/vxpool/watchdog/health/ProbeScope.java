package org.vxpool.watchdog.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.CloseFuture;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.function.Supplier;

/**
 * Runs one probe's short-lived clients under a close future of their own, dropped with them.
 *
 * <p>Vert.x 5.0.7 registers every NetClient it creates in the close future of the creating
 * context (the watchdog's deployment, or the Vert.x instance) and never removes it, even once the
 * client is closed (eclipse-vertx/vert.x#6311, fixed in a later Vert.x). vertx-pg-client creates
 * one per pool, so a pool per health check kept about 2 KB per check reachable for the life of
 * the node: the soak's heap growth. Created under a throwaway context whose close future is
 * closed when the probe ends, those registrations become garbage with it. The result is completed
 * on the caller's context, so timers and state the caller touches in its callbacks stay on its
 * own.
 */
final class ProbeScope {
    private ProbeScope() {
    }

    static <T> Future<T> run(Vertx vertx, Supplier<Future<T>> probe) {
        VertxInternal owner = (VertxInternal) vertx;
        ContextInternal caller = owner.getOrCreateContext();
        CloseFuture scope = new CloseFuture();
        ContextInternal inner = owner.contextBuilder()
                .withEventLoop(caller.nettyEventLoop())
                .withWorkerPool(caller.workerPool())
                .withCloseFuture(scope)
                .build();
        PromiseInternal<T> result = caller.promise();
        inner.runOnContext(v -> {
            Future<T> attempt;
            try {
                attempt = probe.get();
            } catch (RuntimeException e) {
                attempt = Future.failedFuture(e);
            }
            // Not waiting for the close: a slow close must not hold up the caller's next check.
            attempt.onComplete(ar -> {
                result.handle(ar);
                scope.close();
            });
        });
        return result.future();
    }
}
