package org.vxpool.watchdog.lag;

import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.Addresses;
import org.vxpool.common.model.ClusterView;

/**
 * Every {@code sr_check_period}, while this node is Active, measures replication lag and
 * publishes it on {@link Addresses#REPLICATION_LAG}. A round that is still running when the next
 * period comes is not doubled.
 */
public final class LagMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(LagMonitor.class);

    private final Vertx vertx;
    private final LagMeasurer measurer;
    private final BooleanSupplier active;
    private final Supplier<ClusterView> view;
    private long timer = -1;
    private boolean running;

    public LagMonitor(Vertx vertx, LagSettings settings, BooleanSupplier active, Supplier<ClusterView> view) {
        this.vertx = vertx;
        this.measurer = new LagMeasurer(vertx, settings);
        this.active = active;
        this.view = view;
    }

    public void start() {
        // Vert.x refuses an initial delay under 1 ms
        timer = vertx.setPeriodic(1, measurer.period().toMillis(), t -> round());
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private void round() {
        ClusterView v = view.get();
        if (running || !active.getAsBoolean() || v == null) {
            return;
        }
        running = true;
        measurer.measure(v).onComplete(ar -> {
            running = false;
            if (ar.succeeded()) {
                vertx.eventBus().publish(Addresses.REPLICATION_LAG, LagMeasurer.toJson(ar.result()));
            } else {
                LOG.warn("replication lag check failed: {}", ar.cause().getMessage());
            }
        });
    }
}
