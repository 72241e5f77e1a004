package org.vxpool.admin;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;

/**
 * What the admin API needs from the configuration, paths already resolved.
 *
 * @param authFile the pcp.conf-style credentials; empty: every protected endpoint answers 401
 * @param sslCert PEM certificate when {@code admin_ssl} is on
 * @param logFile {@code <logdir>/vxpool.log}, which {@code /api/v1/logs} reads
 * @param config the running configuration, for {@code /reload}; may be null when embedded
 */
public record AdminSettings(List<String> listenAddresses, int port, Optional<Path> authFile,
                            Optional<Path> sslCert, Optional<Path> sslKey, Path logFile, PoolConfig config) {

    public AdminSettings {
        listenAddresses = listenAddresses.stream().map(a -> a.equals("*") ? "0.0.0.0" : a).toList();
    }

    public static AdminSettings from(PoolConfig config) {
        boolean ssl = config.get(Params.ADMIN_SSL);
        return new AdminSettings(config.get(Params.ADMIN_LISTEN_ADDRESSES), config.get(Params.ADMIN_PORT),
                Optional.of(config.resolve(config.get(Params.ADMIN_AUTH_FILE))),
                ssl ? Optional.of(config.resolve(config.get(Params.ADMIN_SSL_CERT))) : Optional.empty(),
                ssl ? Optional.of(config.resolve(config.get(Params.ADMIN_SSL_KEY))) : Optional.empty(),
                config.resolve(config.get(Params.LOGDIR)).resolve("vxpool.log"), config);
    }

    /** Health only: no credentials, no TLS, no config to reload. */
    public static AdminSettings bare(List<String> listenAddresses, int port) {
        return new AdminSettings(listenAddresses, port, Optional.empty(), Optional.empty(), Optional.empty(),
                Path.of("vxpool.log"), null);
    }
}
