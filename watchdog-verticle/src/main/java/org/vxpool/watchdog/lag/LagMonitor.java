package org.vxpool.watchdog.lag;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.Addresses;
import org.vxpool.common.model.ClusterView;

/**
 * Every {@code sr_check_period}, while this node is Active, measures replication lag and
 * publishes it on {@link Addresses#REPLICATION_LAG} (and, clustered, keeps it in
 * {@link Addresses#REPLICATION_LAG_MAP}). A round that is still running when the next
 * period comes is not doubled.
 */
public final class LagMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(LagMonitor.class);
    /** The key of the newest report in {@link Addresses#REPLICATION_LAG_MAP}. */
    public static final String LATEST = "latest";

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

    /**
     * Keeps the report in the clustered map as well: a Standby node whose clustered subscription
     * the publish did not reach (seen once in a demo cluster for over a minute, while reports
     * come every period) reads it from there.
     */
    private void remember(JsonObject lag) {
        JsonObject entry = new JsonObject().put("at", System.currentTimeMillis()).put("lag", lag);
        vertx.sharedData().<String, JsonObject>getAsyncMap(Addresses.REPLICATION_LAG_MAP)
                .compose(map -> map.put(LATEST, entry))
                .onFailure(e -> LOG.debug("cannot keep the lag report in {}: {}", Addresses.REPLICATION_LAG_MAP, e.getMessage()));
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
                JsonObject lag = LagMeasurer.toJson(ar.result());
                vertx.eventBus().publish(Addresses.REPLICATION_LAG, lag);
                if (vertx.isClustered()) {
                    remember(lag);
                }
            } else {
                LOG.warn("replication lag check failed: {}", ar.cause().getMessage());
            }
        });
    }
}
