package org.vxpool.proxy.show;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;

/** Values as PGPOOL SHOW prints them, without sockets. */
class ConfigRowsTest {
    private static final PoolConfig CONFIG = PoolConfig.parse("""
            backend_hostname0 = 'db0'
            backend_port0 = 5432
            backend_hostname1 = 'db1'
            backend_port1 = 5433
            backend_weight1 = 0.5
            wd_authkey = 'k'
            recovery_password = ''
            reset_query_list = 'ABORT;DISCARD ALL;'
            other_pgpool_hostname0 = 'peer'
            other_pgpool_port0 = 9998
            """, "pgpool.conf");

    @Test
    void secretsAreMaskedUnlessEmpty() {
        ConfigRows rows = new ConfigRows(CONFIG, null, null);
        assertThat(rows.value(Params.WD_AUTHKEY)).isEqualTo("********");
        assertThat(rows.value(Params.RECOVERY_PASSWORD)).isEmpty();
        assertThat(rows.value(Params.HEALTH_CHECK_PASSWORD_N, 1)).isEmpty();
    }

    @Test
    void valuesAreSpelledAsInPgpoolConf() {
        ConfigRows rows = new ConfigRows(CONFIG, null, null);
        assertThat(rows.value(Params.RESET_QUERY_LIST)).isEqualTo("ABORT; DISCARD ALL");
        assertThat(rows.value(Params.LOAD_BALANCE_MODE)).isEqualTo("on");
        assertThat(rows.value(Params.LOG_MIN_MESSAGES)).isEqualTo("warning");
        assertThat(rows.value(Params.BACKEND_WEIGHT, 1)).isEqualTo("0.5");
        assertThat(rows.value(Params.MAX_MESSAGE_LENGTH)).isEqualTo("268435456");
    }

    @Test
    void backendsComeFromTheViewOnceThereIsOne() {
        ConfigRows none = new ConfigRows(CONFIG, null, null);
        assertThat(none.backendIds()).containsExactly(0, 1);
        ClusterView view = new ClusterView(3, List.of(
                new BackendNode(0, "db0", 5432, 2, NodeStatus.UP, NodeRole.PRIMARY, 0),
                new BackendNode(1, "db1", 5433, 0.5, NodeStatus.DOWN, NodeRole.STANDBY, 0),
                new BackendNode(2, "db2", 5434, 1, NodeStatus.UP, NodeRole.STANDBY, 0)));
        ConfigRows rows = new ConfigRows(CONFIG, null, view);
        assertThat(rows.group(ConfigRows.GROUPS.get("backend"))).hasSize(18);
        assertThat(rows.indexed(Params.BACKEND_HOSTNAME)).extracting(r -> r.get(0) + "=" + r.get(1))
                .containsExactly("backend_hostname0=db0", "backend_hostname1=db1", "backend_hostname2=db2");
        assertThat(rows.value(Params.BACKEND_WEIGHT, 0)).isEqualTo("2");
    }

    @Test
    void allListsGroupsThenThe3xMembersThenEveryGlobalParameter() {
        List<List<String>> all = new ConfigRows(CONFIG, null, null).all();
        assertThat(all).hasSize(2 * 6 + 2 * 8 + 3 + Params.all().size());
        assertThat(all.get(12).get(0)).isEqualTo("health_check_period0");
        assertThat(all.subList(28, 31)).extracting(r -> r.get(0) + "=" + r.get(1))
                .containsExactly("other_pgpool_hostname0=peer", "other_pgpool_port0=9998", "other_wd_port0=9000");
        assertThat(all.get(31).get(0)).isEqualTo(Params.all().get(0).name());
    }
}
