package org.vxpool.proxy.ssl;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;

/**
 * The TLS side of {@code ssl}, {@code ssl_cert}, {@code ssl_key} and {@code ssl_ca_cert}.
 *
 * <p>{@code ssl_ciphers} and {@code ssl_prefer_server_ciphers} are OpenSSL cipher strings in
 * pgpool; the JVM's TLS uses its own suite names and secure defaults, so they are not applied.
 * With {@code ssl_ca_cert}, client certificates are requested and, when sent, must chain to it
 * (pool_hba's {@code clientcert} option is not supported).
 *
 * @param server    options for client connections; empty when {@code ssl = off}
 * @param backend   options for vxpool's own connections to backends; empty when {@code ssl = off}
 */
public record TlsSettings(Optional<ServerSSLOptions> server, Optional<ClientSSLOptions> backend) {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TlsSettings.class);

    public static final TlsSettings OFF = new TlsSettings(Optional.empty(), Optional.empty());

    /**
     * Reads the settings and checks that the files exist. Blocking (file checks): call it off the
     * event loop. Throws {@link TlsConfigException} listing every problem.
     */
    public static TlsSettings from(PoolConfig config) {
        if (!config.get(Params.SSL)) {
            return OFF;
        }
        List<String> problems = new ArrayList<>();
        Path cert = file(config, Params.SSL_CERT.name(), config.get(Params.SSL_CERT), true, problems);
        Path key = file(config, Params.SSL_KEY.name(), config.get(Params.SSL_KEY), true, problems);
        Path ca = file(config, Params.SSL_CA_CERT.name(), config.get(Params.SSL_CA_CERT), false, problems);
        if (!problems.isEmpty()) {
            throw new TlsConfigException(problems);
        }
        for (var unused : java.util.List.of(Params.SSL_CIPHERS, Params.SSL_CRL_FILE, Params.SSL_CA_CERT_DIR)) {
            if (config.isSet(unused)) {
                log.warn("{}: {} is not applied: the JVM's TLS defaults are used (see docs/AUTH.md)",
                        config.file(), unused.name());
            }
        }
        ServerSSLOptions server = new ServerSSLOptions().setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(cert.toString()).setKeyPath(key.toString()));
        if (ca != null) {
            server.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()))
                    .setClientAuth(ClientAuth.REQUEST);
        }
        return new TlsSettings(Optional.of(server), Optional.of(backendOptions()));
    }

    /**
     * pgpool connects to backends like {@code sslmode=require}: encrypted, certificate not
     * verified, because backends are addressed by the IPs of pgpool.conf, not by the names their
     * certificates carry.
     */
    public static ClientSSLOptions backendOptions() {
        return new ClientSSLOptions().setTrustAll(true).setHostnameVerificationAlgorithm("");
    }

    private static Path file(PoolConfig config, String name, String value, boolean required,
            List<String> problems) {
        if (value == null || value.isBlank()) {
            if (required) {
                problems.add(config.file() + ": " + name + ": must be set when ssl = on");
            }
            return null;
        }
        Path p = config.resolve(value);
        if (!Files.isReadable(p)) {
            problems.add(config.file() + ": " + name + ": cannot read \"" + p + "\"");
        }
        return p;
    }
}
