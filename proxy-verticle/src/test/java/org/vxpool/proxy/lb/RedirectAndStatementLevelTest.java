package org.vxpool.proxy.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vxpool.proxy.lb.LbFixture.connect;
import static org.vxpool.proxy.lb.LbFixture.port;

import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.routing.RoutingSettings;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/**
 * The load-balance node chosen through real JDBC sessions, primary + 2 standbys:
 * {@code app_name_redirect_preference_list} over {@code database_redirect_preference_list}, and
 * {@code statement_level_load_balance} drawing per statement.
 */
class RedirectAndStatementLevelTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(2)
            .user(LbFixture.USER, null, PasswordEncryption.NONE, true));

    private static RoutingSettings routing(String conf) {
        return RoutingSettings.from(PoolConfig.parse("backend_hostname0 = '127.0.0.1'\nload_balance_mode = on\n" + conf, "pgpool.conf"));
    }

    @Test
    void theApplicationNameRuleWinsOverTheDatabaseRule() throws Exception {
        PgCluster c = PG.cluster();
        int s1 = c.standbys().get(0).port();
        int s2 = c.standbys().get(1).port();
        try (ProxyFixture proxy = LbFixture.start(LbFixture.view(c, 1, 1, 1), routing(
                "database_redirect_preference_list = 'postgres:" + c.standbys().get(0).id() + "'\n"
                        + "app_name_redirect_preference_list = 'report.*:" + c.standbys().get(1).id() + "'\n"))) {
            for (int i = 0; i < 10; i++) {
                try (Connection plain = connect(proxy, ""); Statement st = plain.createStatement()) {
                    assertThat(port(st, "select inet_server_port()")).as("database rule").isEqualTo(s1);
                }
                // as in pgpool, only the start-up packet's application_name counts; pgjdbc puts it
                // there with assumeMinServerVersion >= 9.0, else it sends a SET after logging in
                try (Connection report = connect(proxy, "?ApplicationName=reporting&assumeMinServerVersion=9.0");
                     Statement st = report.createStatement()) {
                    assertThat(port(st, "select inet_server_port()")).as("application name rule").isEqualTo(s2);
                }
            }
        }
    }

    @Test
    void statementLevelBalancingDrawsForEveryRead() throws Exception {
        PgCluster c = PG.cluster();
        Map<Integer, Integer> sessionLevel = new HashMap<>();
        Map<Integer, Integer> statementLevel = new HashMap<>();
        for (boolean perStatement : new boolean[] {false, true}) {
            try (ProxyFixture proxy = LbFixture.start(LbFixture.view(c, 0, 1, 1),
                    routing("statement_level_load_balance = " + (perStatement ? "on" : "off") + "\n"));
                 Connection conn = connect(proxy, ""); Statement st = conn.createStatement()) {
                for (int i = 0; i < 200; i++) {
                    (perStatement ? statementLevel : sessionLevel).merge(port(st, "select inet_server_port()"), 1, Integer::sum);
                }
            }
        }
        assertThat(sessionLevel).hasSize(1);
        assertThat(statementLevel).containsOnlyKeys(c.standbys().get(0).port(), c.standbys().get(1).port());
        // binomial(200, 0.5): 60..140 is over 5 sd
        assertThat(statementLevel.values()).allSatisfy(n -> assertThat(n).isBetween(60, 140));
    }
}
