package org.vxpool.proxy.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
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

    private static ProxySecurity build(Vertx vertx, PoolConfig config, Path hbaFile) throws AuthFileException {
        TlsSettings tls = TlsSettings.from(config);
        ClientTls clientTls = tls.server().<ClientTls>map(o -> ClientTlsUpgrade.create(vertx, o))
                .orElse(ClientTls.NONE);
        ClientAuthenticator authenticator;
        if (config.get(Params.ENABLE_POOL_HBA)) {
            PoolHba hba = PoolHba.load(hbaFile != null ? hbaFile : config.resolve("pool_hba.conf"));
            authenticator = new PoolHbaAuthenticator(hba, passwd(config), new SecureRandom());
        } else if (config.get(Params.ALLOW_CLEAR_TEXT_FRONTEND_AUTH)) {
            authenticator = new ClearTextFrontendAuthenticator(passwd(config), new SecureRandom());
        } else {
            authenticator = new TrustPassThroughAuthenticator();
        }
        return new ProxySecurity(authenticator, clientTls, tls.backend().orElse(null));
    }

    private static PoolPasswd passwd(PoolConfig config) throws AuthFileException {
        String file = config.get(Params.POOL_PASSWD);
        return file.isEmpty() ? PoolPasswd.empty() : PoolPasswd.load(config.resolve(file));
    }
}
