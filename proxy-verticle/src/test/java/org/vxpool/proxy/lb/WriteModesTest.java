package org.vxpool.proxy.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vxpool.proxy.lb.LbFixture.connect;
import static org.vxpool.proxy.lb.LbFixture.port;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vxpool.common.config.DisableLoadBalanceOnWrite;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.routing.RoutingSettings;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/**
 * Read-after-write per {@code disable_load_balance_on_write}: the same statement sequence, and
 * where each statement ran ('P' primary, 'S' the session's standby).
 */
class WriteModesTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1)
            .user(LbFixture.USER, null, PasswordEncryption.NONE, true));

    @BeforeAll
    static void schema() {
        PG.cluster().primary().execute("CREATE TABLE IF NOT EXISTS wm_t(id int)");
        PG.cluster().standbys().get(0).waitForReplay(PG.cluster().primary());
    }

    /**
     * 1 read; 2 autocommit write; 3 read; 4 BEGIN + read + write + read + COMMIT (4 targets);
     * 8 read; 9 BEGIN READ ONLY + read + COMMIT.
     */
    @ParameterizedTest
    @EnumSource(DisableLoadBalanceOnWrite.class)
    void targetsOfAStatementSequence(DisableLoadBalanceOnWrite mode) throws Exception {
        String expected = switch (mode) {
            case OFF, TRANSACTION, DML_ADAPTIVE -> "S P S PPP S S";
            case TRANS_TRANSACTION -> "S P S PPP S P";
            case ALWAYS -> "S P P PPP P P";
        };
        try (ProxyFixture proxy = LbFixture.start(LbFixture.view(PG.cluster(), 0, 1), RoutingSettings.defaults().withWriteMode(mode));
             Connection c = connect(proxy, ""); Statement st = c.createStatement()) {
            int primary = PG.cluster().primary().port();
            List<String> seen = new ArrayList<>();
            String here = "select inet_server_port()";
            seen.add(at(port(st, here), primary));
            seen.add(at(port(st, "insert into wm_t values (inet_server_port()) returning id"), primary));
            seen.add(at(port(st, here), primary));
            st.execute("begin");
            String tx = at(port(st, here), primary)
                    + at(port(st, "insert into wm_t values (inet_server_port()) returning id"), primary)
                    + at(port(st, here), primary);
            st.execute("commit");
            seen.add(tx);
            seen.add(at(port(st, here), primary));
            st.execute("begin read only");
            seen.add(at(port(st, here), primary));
            st.execute("commit");
            assertThat(String.join(" ", seen)).as(mode.name()).isEqualTo(expected);
        }
    }

    private static String at(int port, int primary) {
        return port == primary ? "P" : "S";
    }
}
