package org.vxpool.proxy.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.shareddata.Shareable;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.config.PoolKey;
import org.vxpool.proxy.session.ClientAuthenticator;
import org.vxpool.proxy.session.ClientTls;
import org.vxpool.proxy.session.TrustPassThroughAuthenticator;
import org.vxpool.proxy.ssl.ClientTlsUpgrade;
import org.vxpool.proxy.ssl.TlsSettings;
import org.vxpool.proxy.ssl.TlsWarmup;

/**
 * The authentication and TLS parts of a ProxyVerticle, built from pgpool.conf:
 * {@code new ProxyVerticle(settings, s.authenticator(), s.clientTls(), s.backendTls())}.
 *
 * @param backendTls null when {@code ssl = off}
 */
public record ProxySecurity(ClientAuthenticator authenticator, ClientTls clientTls, ClientSSLOptions backendTls) {

    /**
     * Reads pool_hba.conf ({@code hbaFile}, or {@code pool_hba.conf} next to the config file when
     * null), pool_passwd and the certificates on a worker thread, then warms TLS up. Fails with
     * {@link AuthFileException} or {@code TlsConfigException} naming every problem.
     */
    public static Future<ProxySecurity> load(Vertx vertx, PoolConfig config, Path hbaFile) {
        return vertx.executeBlocking(() -> build(vertx, config, hbaFile))
                .compose(s -> s.clientTls instanceof ClientTlsUpgrade upgrade
                        ? TlsWarmup.warmUp(vertx, upgrade).map(s) : Future.succeededFuture(s));
    }

    /**
     * {@link #load}, once per Vert.x instance and configuration: every ProxyVerticle instance
     * (one per event loop) gets the same authenticator, TLS context and warm-up.
     */
    public static Future<ProxySecurity> shared(Vertx vertx, PoolConfig config, Path hbaFile) {
        LoadOnce once = vertx.sharedData().<String, LoadOnce>getLocalMap(SHARED_MAP)
                .computeIfAbsent(config.file() + ":" + hbaFile, k -> new LoadOnce());
        return once.get(config, () -> load(vertx, config, hbaFile));
    }

    private static final String SHARED_MAP = "vxpool.proxy.security";

    /**
     * A load started by the first verticle instance, awaited by the others. A new configuration
     * object (a reload) loads again.
     */
    private static final class LoadOnce implements Shareable {
        private PoolConfig config;
        private Future<ProxySecurity> loading;

        synchronized Future<ProxySecurity> get(PoolConfig of, java.util.function.Supplier<Future<ProxySecurity>> load) {
            if (loading == null || config != of) {
                config = of;
                loading = load.get();
            }
            return loading;
        }
    }

    private static ProxySecurity build(Vertx vertx, PoolConfig config, Path hbaFile) throws AuthFileException {
        TlsSettings tls = TlsSettings.from(config);
        ClientTls clientTls = tls.server().<ClientTls>map(o -> ClientTlsUpgrade.create(vertx, o))
                .orElse(ClientTls.NONE);
        PoolHba hba = config.get(Params.ENABLE_POOL_HBA) ? PoolHba.load(AuthFiles.hbaFile(config, hbaFile)) : null;
        // read even when client authentication does not use it: AuthFiles says why
        PoolPasswd passwd = AuthFiles.passwd(config, AuthFiles.usedByClientAuth(config), PoolKey.fromEnvironment());
        ClientAuthenticator authenticator;
        if (hba != null) {
            authenticator = new PoolHbaAuthenticator(hba, passwd, new SecureRandom());
        } else if (config.get(Params.ALLOW_CLEAR_TEXT_FRONTEND_AUTH)) {
            authenticator = new ClearTextFrontendAuthenticator(passwd, new SecureRandom());
        } else {
            authenticator = new TrustPassThroughAuthenticator();
        }
        return new ProxySecurity(authenticator, clientTls, tls.backend().orElse(null));
    }
}
