package org.vxpool.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import org.junit.jupiter.api.Test;
import org.vxpool.common.config.PoolConfig;

class EventBusSettingsTest {
    private static final String NODE = """
            backend_hostname0 = '127.0.0.1'
            use_watchdog = on
            wd_hostname = '10.0.0.19'
            wd_port = 9000
            other_pgpool_hostname0 = '10.0.0.20'
            """;

    private static EventBusOptions options(String extra) {
        PoolConfig config = PoolConfig.parse(NODE + extra, "/etc/vxpool/pgpool.conf");
        ClusterSettings settings = ClusterSettings.from(config).orElseThrow();
        return settings.eventBus().options(settings.host());
    }

    @Test
    void withoutSettingsTheBusListensOnTheWatchdogHostOnAnyPortInPlainText() {
        EventBusOptions options = options("");
        assertThat(options.getHost()).isEqualTo("10.0.0.19");
        assertThat(options.getClusterPublicHost()).isEqualTo("10.0.0.19");
        assertThat(options.getPort()).isZero();
        assertThat(options.isSsl()).isFalse();
    }

    @Test
    void aFixedPortEveryAddressAndTlsWithRequiredClientCertificates() {
        EventBusOptions options = options("""
                eventbus_port = 9001
                eventbus_listen_address = '*'
                eventbus_ssl = on
                eventbus_ssl_cert = 'eb/node.crt'
                eventbus_ssl_key = '/keys/node.key'
                eventbus_ssl_ca_cert = 'eb/ca.crt'
                """);
        assertThat(options.getHost()).isEqualTo("0.0.0.0");
        assertThat(options.getClusterPublicHost()).as("peers still dial the watchdog host").isEqualTo("10.0.0.19");
        assertThat(options.getPort()).isEqualTo(9001);
        assertThat(options.isSsl()).isTrue();
        assertThat(options.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
        PemKeyCertOptions key = (PemKeyCertOptions) options.getKeyCertOptions();
        assertThat(key.getCertPath()).isEqualTo("/etc/vxpool/eb/node.crt");
        assertThat(key.getKeyPath()).isEqualTo("/keys/node.key");
        assertThat(((PemTrustOptions) options.getTrustOptions()).getCertPaths()).containsExactly("/etc/vxpool/eb/ca.crt");
    }
}
