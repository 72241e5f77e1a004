package org.vxpool.admin;

import io.vertx.core.Future;

/**
 * Stops and starts this node's proxy and watchdog verticles while the admin API stays up, as
 * pgpoolAdmin's stop and start buttons do. The launcher implements it over its deployments.
 * Methods are called from an event loop and must not block.
 */
public interface PoolControl {

    /** What {@link #status()} reports. */
    enum State { RUNNING, STOPPING, STOPPED, STARTING }

    /** Undeploys the proxies and the watchdog; the watchdog releases the delegate IP on the way. */
    Future<Void> stop();

    /** Deploys them again. */
    Future<Void> start();

    State status();

    /** For an embedder without a launcher: the pool cannot be stopped from the API. */
    PoolControl NONE = new PoolControl() {
        @Override
        public Future<Void> stop() {
            return Future.failedFuture(new UnsupportedOperationException("this node was not started by the launcher"));
        }

        @Override
        public Future<Void> start() {
            return stop();
        }

        @Override
        public State status() {
            return State.RUNNING;
        }
    };
}
