package org.vxpool.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vxpool.common.config.DisableLoadBalanceOnWrite;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeStatus;

class LoadBalancerTest {

    private static final int DRAWS = 10_000;

    /** How often each node is chosen as a new session's read node over {@link #DRAWS} sessions. */
    private static double[] shares(ClusterView view, RoutingSettings settings, String db, String app) {
        SplittableRandom rng = new SplittableRandom(20261128);
        double[] counts = new double[view.nodes().size()];
        RoutingContext ctx = RoutingContext.initial(db, app);
        for (int i = 0; i < DRAWS; i++) {
            counts[LoadBalancer.choose(ctx, view, settings, rng)]++;
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] /= DRAWS;
        }
        return counts;
    }

    private static double[] shares(ClusterView view) {
        return shares(view, RoutingSettings.defaults(), "db", "app");
    }

    @Test
    void drawsByWeightIncludingThePrimary() {
        double[] s = shares(Clusters.weights(1, 2, 3));
        // 4 standard deviations of a binomial share at n = 10,000 is at most 0.02.
        assertThat(s[0]).isBetween(1 / 6.0 - 0.02, 1 / 6.0 + 0.02);
        assertThat(s[1]).isBetween(2 / 6.0 - 0.02, 2 / 6.0 + 0.02);
        assertThat(s[2]).isBetween(3 / 6.0 - 0.02, 3 / 6.0 + 0.02);
    }

    @Test
    void equalWeightsShareEvenly() {
        double[] s = shares(Clusters.weights(1, 1, 1, 1));
        for (double share : s) {
            assertThat(share).isBetween(0.23, 0.27);
        }
    }

    @Test
    void weightZeroNeverReceivesReads() {
        assertThat(shares(Clusters.weights(0, 1, 1))[0]).isZero();
        assertThat(shares(Clusters.weights(1, 0, 1))[1]).isZero();
        assertThat(shares(Clusters.weights(0, 0, 1))[2]).isEqualTo(1.0);
    }

    @Test
    void allWeightsZeroFallBackToThePrimary() {
        assertThat(shares(Clusters.weights(0, 0, 0))[0]).isEqualTo(1.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DOWN", "QUARANTINE", "UNUSED"})
    void anUnroutableNodeIsNeverChosen(String status) {
        ClusterView view = Clusters.withStatus(Clusters.weights(1, 1, 1), 1, NodeStatus.valueOf(status));
        double[] s = shares(view);
        assertThat(s[1]).isZero();
        assertThat(s[0]).isBetween(0.47, 0.53);
    }

    @Test
    void waitingNodesAreRoutable() {
        ClusterView view = Clusters.withStatus(Clusters.weights(1, 1), 1, NodeStatus.WAITING);
        assertThat(shares(view)[1]).isBetween(0.47, 0.53);
    }

    @Test
    void nothingUpMeansNoNode() {
        ClusterView view = Clusters.withStatus(Clusters.withStatus(Clusters.weights(1, 1), 0, NodeStatus.DOWN), 1,
                NodeStatus.DOWN);
        assertThat(LoadBalancer.choose(RoutingContext.initial("db", "app"), view, RoutingSettings.defaults(),
                new SplittableRandom(1))).isEqualTo(-1);
    }

    private static RoutingSettings redirects(List<String> db, List<String> app) {
        RoutingSettings d = RoutingSettings.defaults();
        return new RoutingSettings(true, false, DisableLoadBalanceOnWrite.TRANSACTION, false, false, true, 0, 0,
                false, RoutingSettings.redirects("database_redirect_preference_list", db),
                RoutingSettings.redirects("app_name_redirect_preference_list", app), d.writeFunctions(),
                d.readOnlyFunctions(), d.primaryRoutingPatterns());
    }

    @Test
    void databaseRedirectToPrimary() {
        RoutingSettings s = redirects(List.of("postgres:primary", "mydb[01]:1(0.3)", "mydb2:standby"), List.of());
        assertThat(shares(Clusters.threeNodes(), s, "postgres", "")[0]).isEqualTo(1.0);
    }

    @Test
    void databaseRedirectToANodeWithRatioSendsTheRestElsewhere() {
        RoutingSettings s = redirects(List.of("postgres:primary", "mydb[01]:1(0.3)", "mydb2:standby"), List.of());
        double[] shares = shares(Clusters.threeNodes(), s, "mydb1", "");
        assertThat(shares[1]).isBetween(0.28, 0.32);
        assertThat(shares[0]).isBetween(0.33, 0.37);
        assertThat(shares[2]).isBetween(0.33, 0.37);
    }

    @Test
    void databaseRedirectToStandbyNeverPicksThePrimary() {
        RoutingSettings s = redirects(List.of("mydb2:standby"), List.of());
        double[] shares = shares(Clusters.threeNodes(), s, "mydb2", "");
        assertThat(shares[0]).isZero();
        assertThat(shares[1]).isBetween(0.47, 0.53);
    }

    @Test
    void standbyRatioSendsTheRestToThePrimary() {
        RoutingSettings s = redirects(List.of("d:standby(0.4)"), List.of());
        assertThat(shares(Clusters.threeNodes(), s, "d", "")[0]).isBetween(0.58, 0.62);
    }

    @Test
    void unmatchedDatabaseUsesWeights() {
        RoutingSettings s = redirects(List.of("postgres:primary"), List.of());
        assertThat(shares(Clusters.threeNodes(), s, "other", "")[0]).isBetween(0.31, 0.36);
    }

    @Test
    void patternMustMatchTheWholeName() {
        RoutingSettings s = redirects(List.of("post:primary"), List.of());
        assertThat(shares(Clusters.threeNodes(), s, "postgres", "")[0]).isLessThan(0.4);
    }

    @Test
    void appNameRuleOverridesDatabaseRule() {
        RoutingSettings s = redirects(List.of("postgres:standby"), List.of("myapp1:primary"));
        assertThat(shares(Clusters.threeNodes(), s, "postgres", "myapp1")[0]).isEqualTo(1.0);
        assertThat(shares(Clusters.threeNodes(), s, "postgres", "other")[0]).isZero();
        assertThat(shares(Clusters.threeNodes(), s, "postgres", "")[0]).isZero();
    }

    @Test
    void appNameRuleToADownNodeFallsBackToTheDatabaseRule() {
        RoutingSettings s = redirects(List.of("postgres:2"), List.of("psql:1"));
        ClusterView view = Clusters.withStatus(Clusters.threeNodes(), 1, NodeStatus.DOWN);
        assertThat(shares(view, s, "postgres", "psql")[2]).isEqualTo(1.0);
    }

    @Test
    void firstMatchingEntryWins() {
        RoutingSettings s = redirects(List.of("postgres:primary", "postgres:standby"), List.of());
        assertThat(shares(Clusters.threeNodes(), s, "postgres", "")[0]).isEqualTo(1.0);
    }

    @Test
    void explicitRedirectReachesANodeOfWeightZero() {
        RoutingSettings s = redirects(List.of("reports:2"), List.of());
        assertThat(shares(Clusters.weights(1, 1, 0), s, "reports", "")[2]).isEqualTo(1.0);
        assertThat(shares(Clusters.weights(1, 1, 0), s, "other", "")[2]).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nocolon", "db:nowhere", "db:1(2)", "db:1(abc)", "[:1", ":1", "db:1(-0.5)"})
    void malformedRedirectEntriesAreRejectedWithTheEntry(String entry) {
        assertThatThrownBy(() -> RedirectRule.parse("database_redirect_preference_list", entry))
                .isInstanceOf(RoutingSettingsException.class)
                .hasMessageStartingWith("database_redirect_preference_list: '" + entry + "': ");
    }

    @Test
    void redirectEntriesParse() {
        RedirectRule r = RedirectRule.parse("k", "mydb[01]:1(0.3)");
        assertThat(r.target()).isEqualTo(RedirectRule.Target.NODE);
        assertThat(r.nodeId()).isEqualTo(1);
        assertThat(r.ratio()).isEqualTo(0.3);
        assertThat(r.matches("mydb0")).isTrue();
        assertThat(r.matches("mydb2")).isFalse();
        assertThat(RedirectRule.parse("k", "x:Standby").target()).isEqualTo(RedirectRule.Target.STANDBY);
        assertThat(RedirectRule.parse("k", "x:primary(0.5)").ratio()).isEqualTo(0.5);
        assertThat(RedirectRule.parse("k", "x:primary").ratio()).isEqualTo(1.0);
    }
}
