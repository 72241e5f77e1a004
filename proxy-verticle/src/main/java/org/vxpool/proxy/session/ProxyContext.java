package org.vxpool.proxy.session;

import io.vertx.core.Vertx;
import java.util.Set;
import java.util.function.Supplier;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.model.ClusterView;
import org.vxpool.proxy.ProxySettings;
import org.vxpool.proxy.cancel.CancelForwarder;
import org.vxpool.proxy.pool.BackendPool;
import org.vxpool.proxy.pool.TransactionPool;
import org.vxpool.proxy.routing.ClassificationCache;
import org.vxpool.proxy.routing.LagSnapshot;
import org.vxpool.proxy.routing.Router;
import org.vxpool.proxy.stats.BackendCounters;

/**
 * What the sessions of one ProxyVerticle instance share: all of it is confined to that
 * instance's event loop except {@link #runtime()}.
 *
 * @param view the newest cluster view the verticle holds
 * @param sessions live sessions of this event loop, for timeouts and node-down handling
 * @param router null when load balancing is off (or raw mode): every statement goes to the primary
 * @param classifier this event loop's classification cache (SHOW interception needs it even without a router)
 * @param lags the newest replication lag snapshot
 * @param txPool pool_mode = transaction: the per-transaction pool; null in session mode
 * @param primaryWait new sessions waiting for a primary (start-up, failover), and for how long they may
 * @param config the configuration SHOW pool_status and PGPOOL SHOW print
 * @param backendCounters this instance's SHOW pool_backend_stats counts, written by its relays
 */
public record ProxyContext(
        Vertx vertx,
        ProxySettings settings,
        BackendPool pool,
        ProxyRuntime runtime,
        CancelForwarder canceller,
        ClientAuthenticator authenticator,
        ClientTls tls,
        Supplier<ClusterView> view,
        Set<ClientSession> sessions,
        SessionCounts counts,
        Router router,
        ClassificationCache classifier,
        Supplier<LagSnapshot> lags,
        TransactionPool txPool,
        SessionLogging logging,
        PrimaryWait primaryWait,
        PoolConfig config,
        BackendCounters backendCounters) {
}
