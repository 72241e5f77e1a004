package org.vxpool.launcher;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.util.Optional;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;

/**
 * How this node's clustered event bus listens and whom it lets in.
 *
 * @param listenAddress where it binds: an address, {@code *} for every address, or empty for the
 *     watchdog host
 * @param port the TCP port; 0 = a free one chosen at start
 * @param tls the certificates when {@code eventbus_ssl} is on
 */
public record EventBusSettings(String listenAddress, int port, Optional<Tls> tls) {

    /** Before these settings existed: the watchdog host, any free port, no TLS. */
    public static final EventBusSettings DEFAULT = new EventBusSettings("", 0, Optional.empty());

    /**
     * PEM files of {@code eventbus_ssl}, resolved against the config file's directory.
     *
     * @param cert what this node presents, both when it accepts and when it connects
     * @param key the certificate's private key
     * @param caCert who may connect: peers must present a certificate this CA signed
     */
    public record Tls(Path cert, Path key, Path caCert) {
    }

    static EventBusSettings from(PoolConfig config) {
        Optional<Tls> tls = config.get(Params.EVENTBUS_SSL)
                ? Optional.of(new Tls(config.resolve(config.get(Params.EVENTBUS_SSL_CERT)),
                        config.resolve(config.get(Params.EVENTBUS_SSL_KEY)),
                        config.resolve(config.get(Params.EVENTBUS_SSL_CA_CERT))))
                : Optional.empty();
        return new EventBusSettings(config.get(Params.EVENTBUS_LISTEN_ADDRESS).strip(), config.get(Params.EVENTBUS_PORT), tls);
    }

    /** The address to bind, given the node's watchdog host. */
    String bindAddress(String watchdogHost) {
        if (listenAddress.isEmpty()) {
            return watchdogHost;
        }
        return listenAddress.equals("*") ? "0.0.0.0" : listenAddress;
    }

    /**
     * The other members always connect to the watchdog host, whatever the bind address. With TLS
     * the same key pair serves both directions, and client authentication is required, so a peer
     * without a certificate from the CA can neither send nor receive. Host names are not checked:
     * the CA is the cluster's own, and members are often known by address only.
     */
    EventBusOptions options(String watchdogHost) {
        EventBusOptions options = new EventBusOptions()
                .setHost(bindAddress(watchdogHost))
                .setClusterPublicHost(watchdogHost)
                .setPort(port);
        tls.ifPresent(t -> options.setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(t.cert().toString()).setKeyPath(t.key().toString()))
                .setTrustOptions(new PemTrustOptions().addCertPath(t.caCert().toString()))
                .setClientAuth(ClientAuth.REQUIRED));
        return options;
    }
}
