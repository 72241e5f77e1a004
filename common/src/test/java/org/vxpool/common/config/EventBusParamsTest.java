package org.vxpool.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The event-bus settings of issue 11: defaults that keep older files working, and their checks. */
class EventBusParamsTest {

    @Test
    void defaultsKeepARandomPortOnTheWatchdogHostWithoutTls() {
        PoolConfig c = PoolConfig.parse("backend_hostname0 = 'db0'\n", "min.conf");
        assertThat(c.get(Params.EVENTBUS_PORT)).isZero();
        assertThat(c.get(Params.EVENTBUS_LISTEN_ADDRESS)).isEmpty();
        assertThat(c.get(Params.EVENTBUS_SSL)).isFalse();
    }

    @Test
    void badValuesAreReportedWithFileLineAndKey() {
        assertThat(ConfigErrors.of("""
                backend_hostname0 = 'db0'
                eventbus_port = 70000
                eventbus_ssl = perhaps
                """, "eb.conf")).hasSize(2)
                .anySatisfy(e -> assertThat(e).startsWith("eb.conf:2: eventbus_port: "))
                .anySatisfy(e -> assertThat(e).startsWith("eb.conf:3: eventbus_ssl: "));
    }

    @Test
    void tlsNeedsCertificateKeyAndCa() {
        assertThat(ConfigErrors.of("""
                backend_hostname0 = 'db0'
                eventbus_ssl = on
                eventbus_ssl_cert = 'node.crt'
                """, "eb.conf")).containsExactly(
                "eb.conf:2: eventbus_ssl: eventbus_ssl is on but eventbus_ssl_key, eventbus_ssl_ca_cert are not set");
        assertThat(ConfigErrors.of("""
                backend_hostname0 = 'db0'
                eventbus_ssl = on
                eventbus_ssl_cert = 'node.crt'
                eventbus_ssl_key = 'node.key'
                """, "eb.conf")).containsExactly("eb.conf:2: eventbus_ssl: eventbus_ssl is on but eventbus_ssl_ca_cert is not set");
        PoolConfig complete = PoolConfig.parse("""
                backend_hostname0 = 'db0'
                eventbus_ssl = on
                eventbus_ssl_cert = 'node.crt'
                eventbus_ssl_key = 'node.key'
                eventbus_ssl_ca_cert = 'ca.crt'
                eventbus_port = 9001
                eventbus_listen_address = '*'
                """, "eb.conf");
        assertThat(complete.get(Params.EVENTBUS_PORT)).isEqualTo(9001);
        assertThat(complete.get(Params.EVENTBUS_SSL)).isTrue();
    }
}
