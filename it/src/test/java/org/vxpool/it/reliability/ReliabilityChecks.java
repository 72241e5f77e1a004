package org.vxpool.it.reliability;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.vxpool.common.Addresses;
import org.vxpool.common.model.ClusterView;
import org.vxpool.it.InProcessVxpool;

/** Questions the reliability tests ask an in-process vxpool. */
final class ReliabilityChecks {
    private ReliabilityChecks() {
    }

    /** The proxy's PROXY_STATS reply: {@code clients}, sessions per state, pools. */
    static JsonObject proxyStats(InProcessVxpool vxpool) throws Exception {
        return vxpool.vertx.eventBus().<JsonObject>request(Addresses.PROXY_STATS, new JsonObject())
                .await(10, TimeUnit.SECONDS).body();
    }

    /** The watchdog's current view of the backends. */
    static ClusterView view(InProcessVxpool vxpool) throws Exception {
        return ClusterView.fromJson(vxpool.vertx.eventBus().<JsonObject>request(Addresses.CLUSTER_VIEW_GET,
                new JsonObject()).await(10, TimeUnit.SECONDS).body());
    }

    /** Thread.sleep for loops that must keep going (or end) rather than throw when interrupted. */
    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
