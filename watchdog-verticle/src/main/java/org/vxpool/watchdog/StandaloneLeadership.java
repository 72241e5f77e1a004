package org.vxpool.watchdog;

import io.vertx.core.Future;
import java.util.function.Consumer;

/**
 * Leadership of a node without the watchdog ({@code use_watchdog = off}): it is alone, so it is
 * always Active, in a single term that never changes.
 */
public final class StandaloneLeadership implements Leadership {

    @Override
    public boolean isActive() {
        return true;
    }

    @Override
    public long epoch() {
        return 1;
    }

    @Override
    public void onChange(Consumer<Leadership> listener) {
        // The role never changes, so there is nothing to tell.
    }

    @Override
    public Future<Void> start() {
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> stop() {
        return Future.succeededFuture();
    }
}
