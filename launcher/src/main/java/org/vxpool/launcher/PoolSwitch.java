package org.vxpool.launcher;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.admin.PoolControl;

/**
 * The watchdog and proxy deployments of a node, which the admin API can stop and start while it
 * stays up. Deploys in order and undeploys in reverse, as the node start and stop do, so the
 * watchdog releases the delegate IP only after the proxies closed.
 *
 * <p>State changes happen on the admin API's event loop or the launcher's main thread, one at a
 * time (the API refuses a change while another runs), hence synchronized accessors only.
 */
final class PoolSwitch implements PoolControl {
    private static final Logger LOG = LoggerFactory.getLogger(PoolSwitch.class);

    private record Deployed(String name, String id) {
    }

    private final List<VerticleSpec> specs;
    private final Deque<Deployed> deployed = new ArrayDeque<>();
    private Vertx vertx;
    private State state = State.STOPPED;

    PoolSwitch(List<VerticleSpec> specs) {
        this.specs = List.copyOf(specs);
    }

    /** What the switch deploys, in order. */
    List<VerticleSpec> specs() {
        return specs;
    }

    synchronized void bind(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public synchronized State status() {
        return state;
    }

    private synchronized void moveTo(State next) {
        state = next;
    }

    /**
     * Runs {@code action} on a thread of its own. Vert.x makes a deployment started from inside a
     * verticle that verticle's child and undeploys it with its parent; deploying the pool from the
     * admin API's event loop would tie the proxy and watchdog to the admin verticle's lifetime.
     * The result is handed back on the caller's context.
     */
    private Future<Void> outsideVerticles(java.util.function.Supplier<Future<Void>> action) {
        if (vertx == null) {
            return Future.failedFuture(new IllegalStateException("the node is not running"));
        }
        io.vertx.core.Context caller = Vertx.currentContext();
        io.vertx.core.Promise<Void> result = io.vertx.core.Promise.promise();
        Thread thread = new Thread(() -> action.get().onComplete(done -> {
            if (caller == null) {
                result.handle(done);
            } else {
                caller.runOnContext(v -> result.handle(done));
            }
        }), "vxpool-pool-switch");
        thread.setDaemon(true);
        thread.start();
        return result.future();
    }

    @Override
    public Future<Void> start() {
        return outsideVerticles(this::deployAll);
    }

    private Future<Void> deployAll() {
        moveTo(State.STARTING);
        Future<Void> chain = Future.succeededFuture();
        for (VerticleSpec spec : specs) {
            chain = chain.compose(v -> deploy(spec));
        }
        return chain.onSuccess(v -> moveTo(State.RUNNING)).recover(failure ->
                // A half-started pool is worse than none: what did start is undeployed again.
                undeployAll().transform(ignored -> Future.<Void>failedFuture(failure)));
    }

    private Future<Void> deploy(VerticleSpec spec) {
        DeploymentOptions options = new DeploymentOptions().setInstances(spec.instances());
        return vertx.deployVerticle(spec.factory(), options).map(id -> {
            synchronized (this) {
                deployed.push(new Deployed(spec.name(), id));
            }
            LOG.info("{} started ({} instance{})", spec.name(), spec.instances(), spec.instances() == 1 ? "" : "s");
            return null;
        });
    }

    @Override
    public Future<Void> stop() {
        return outsideVerticles(this::undeployAll);
    }

    private Future<Void> undeployAll() {
        moveTo(State.STOPPING);
        return undeployNext().onComplete(v -> moveTo(State.STOPPED));
    }

    /** One at a time, newest first; a failure is logged and the rest still stop. */
    private Future<Void> undeployNext() {
        Deployed next;
        synchronized (this) {
            next = deployed.poll();
        }
        if (next == null) {
            return Future.succeededFuture();
        }
        return vertx.undeploy(next.id())
                .onSuccess(v -> LOG.info("{} stopped", next.name()))
                .onFailure(e -> LOG.warn("{} failed to stop: {}", next.name(), Failures.describe(e)))
                .transform(v -> undeployNext());
    }
}
