package org.vxpool.proxy.show;

import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.model.ClusterView;
import org.vxpool.proxy.ProxySettings;
import org.vxpool.proxy.routing.LagSnapshot;
import org.vxpool.proxy.session.ClientSession;
import org.vxpool.proxy.session.ProxyRuntime;

/**
 * What a SHOW command may look at: the view, the JVM-wide proxy state, the asking session, and the
 * configuration the session started under.
 */
public record ShowContext(io.vertx.core.Vertx vertx, ClusterView view, ProxyRuntime runtime, LagSnapshot lags, ClientSession session,
                          ProxySettings settings, PoolConfig config) {
}
