package org.vxpool.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vxpool.common.config.DisableLoadBalanceOnWrite;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.config.PoolMode;
import org.vxpool.proxy.routing.RoutingSettings;

/** What SHOW pool_status prints for a proxy built from settings alone: the settings it runs with. */
class EmbeddedConfigTest {

    @Test
    void theSettingsAndRoutingSwitchesBecomeParameterValues() {
        ProxySettings s = ProxySettings.defaults("127.0.0.1", 6543).withNumInitChildren(64)
                .withTimeouts(7, 11, 13).withTransactionPooling(5, 2500);
        RoutingSettings r = RoutingSettings.defaults().withSessionSwitches(true, DisableLoadBalanceOnWrite.ALWAYS, true, false);
        PoolConfig c = EmbeddedConfig.of(s, r);
        assertThat(c.get(Params.PORT)).isEqualTo(6543);
        assertThat(c.get(Params.LISTEN_ADDRESSES)).containsExactly("127.0.0.1");
        assertThat(c.get(Params.NUM_INIT_CHILDREN)).isEqualTo(64);
        assertThat(c.get(Params.CONNECTION_LIFE_TIME)).isEqualTo(7);
        assertThat(c.get(Params.CLIENT_IDLE_LIMIT)).isEqualTo(11);
        assertThat(c.get(Params.AUTHENTICATION_TIMEOUT)).isEqualTo(13);
        assertThat(c.get(Params.POOL_MODE)).isEqualTo(PoolMode.TRANSACTION);
        assertThat(c.get(Params.DEFAULT_POOL_SIZE)).isEqualTo(5);
        assertThat(c.get(Params.POOL_TIMEOUT)).isEqualTo(2500);
        assertThat(c.get(Params.RESET_QUERY_LIST)).isEqualTo(List.of("ABORT", "DISCARD ALL"));
        assertThat(c.get(Params.STATEMENT_LEVEL_LOAD_BALANCE)).isTrue();
        assertThat(c.get(Params.DISABLE_LOAD_BALANCE_ON_WRITE)).isEqualTo(DisableLoadBalanceOnWrite.ALWAYS);
        assertThat(c.get(Params.ALLOW_SQL_COMMENTS)).isTrue();
        assertThat(c.get(Params.IGNORE_LEADING_WHITE_SPACE)).isFalse();
    }
}
