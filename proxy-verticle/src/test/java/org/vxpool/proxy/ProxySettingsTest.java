package org.vxpool.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vxpool.common.config.PoolConfig;

class ProxySettingsTest {

    @Test
    void fromPoolConfig() {
        PoolConfig c = PoolConfig.parse("""
                listen_addresses = '*'
                port = 9998
                num_init_children = 7
                max_pool = 2
                reset_query_list = 'ABORT; DISCARD ALL; SELECT 1'
                connection_life_time = 30
                client_idle_limit = 5
                authentication_timeout = 9
                backend_hostname0 = 'localhost'
                backend_port0 = 5432
                """, "pgpool.conf");
        ProxySettings s = ProxySettings.from(c);
        assertThat(s.bindHosts()).containsExactly("0.0.0.0");
        assertThat(s.port()).isEqualTo(9998);
        assertThat(s.numInitChildren()).isEqualTo(7);
        assertThat(s.maxPool()).isEqualTo(2);
        assertThat(s.resetQueryList()).containsExactly("ABORT", "DISCARD ALL", "SELECT 1");
        assertThat(s.connectionLifeTime()).isEqualTo(30);
        assertThat(s.clientIdleLimit()).isEqualTo(5);
        assertThat(s.authenticationTimeout()).isEqualTo(9);
    }

    @Test
    void bindHostsSplitsCommaLists() {
        ProxySettings s = new ProxySettings(List.of("127.0.0.1, localhost", "*", "127.0.0.1"), 1, 1, 1, List.of(), 0, 0, 0, 100, 100);
        assertThat(s.bindHosts()).containsExactly("127.0.0.1", "localhost", "0.0.0.0");
        assertThat(ProxySettings.parseResetQueryList(" ABORT ;DISCARD ALL; ")).containsExactly("ABORT", "DISCARD ALL");
    }
}
