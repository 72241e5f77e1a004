package org.vxpool.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vxpool.common.config.DisableLoadBalanceOnWrite;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;

/** Router rules that depend on the cluster, the lag and the settings rather than on the SQL. */
class RouterBehaviourTest {

    private static final SqlClassifier CLASSIFIER = SqlClassifier.defaults();
    private final SplittableRandom rng = new SplittableRandom(7);

    private static RoutingSettings settings(boolean loadBalance, boolean raw, boolean statementLevel,
            boolean allowComments, boolean ignoreWhiteSpace, long delayBytes, long delayMillis, boolean preferLower) {
        return new RoutingSettings(loadBalance, raw, DisableLoadBalanceOnWrite.TRANSACTION, statementLevel,
                allowComments, ignoreWhiteSpace, delayBytes, delayMillis, preferLower, List.of(), List.of(), List.of(),
                List.of(), List.of());
    }

    private static RoutingSettings delay(long bytes, long millis, boolean preferLower) {
        return settings(true, false, false, false, true, bytes, millis, preferLower);
    }

    private RouteDecision route(Router router, RoutingContext ctx, String sql, ClusterView view, LagSnapshot lags) {
        return router.route(ctx, CLASSIFIER.classify(sql), view, lags, rng);
    }

    private RouteDecision route(RoutingSettings s, String sql, ClusterView view, LagSnapshot lags) {
        return route(new Router(s), RouterTableTest.newSession(), sql, view, lags);
    }

    @Test
    void aDeadLoadBalanceNodeIsReplacedOutsideATransaction() {
        ClusterView view = Clusters.withStatus(Clusters.threeNodes(), 1, NodeStatus.DOWN);
        RouteDecision d = route(RoutingSettings.defaults(), "select 1", view, LagSnapshot.NONE);
        assertThat(d.target()).isEqualTo(RouteTarget.LOAD_BALANCE_NODE);
        assertThat(d.nodeId()).isIn(0, 2);
        assertThat(d.context().loadBalanceNode()).isEqualTo(d.nodeId());
    }

    @Test
    void readsOfASessionThatIsSerializableByDefaultStayOnThePrimary() {
        Router router = new Router(RoutingSettings.defaults());
        RoutingContext ctx = RouterTableTest.newSession();
        assertThat(route(router, ctx, "select 1", Clusters.threeNodes(), LagSnapshot.NONE).target())
                .isEqualTo(RouteTarget.LOAD_BALANCE_NODE);
        for (String set : List.of("set session characteristics as transaction isolation level serializable",
                "set default_transaction_isolation = 'serializable'")) {
            RoutingContext serializable = route(router, ctx, set, Clusters.threeNodes(), LagSnapshot.NONE).context();
            RouteDecision d = route(router, serializable, "select 1", Clusters.threeNodes(), LagSnapshot.NONE);
            assertThat(d.target()).as(set).isEqualTo(RouteTarget.PRIMARY);
            assertThat(d.reason()).contains("serializable by default");
            RoutingContext back = route(router, serializable, "reset default_transaction_isolation", Clusters.threeNodes(),
                    LagSnapshot.NONE).context();
            assertThat(route(router, back, "select 1", Clusters.threeNodes(), LagSnapshot.NONE).target())
                    .isEqualTo(RouteTarget.LOAD_BALANCE_NODE);
        }
    }

    @Test
    void transactionDefaultsOfTheStartUpPacketRouteAsIfSet() {
        Router router = new Router(RoutingSettings.defaults());
        RoutingContext serializable = router.startSession("db", "", Map.of("default_transaction_isolation", "serializable"),
                Clusters.threeNodes(), rng);
        assertThat(route(router, serializable, "select 1", Clusters.threeNodes(), LagSnapshot.NONE).target())
                .isEqualTo(RouteTarget.PRIMARY);
        RoutingContext readOnly = router.startSession("db", "", Map.of("default_transaction_read_only", "on"),
                Clusters.threeNodes(), rng);
        assertThat(route(router, readOnly, "begin", Clusters.threeNodes(), LagSnapshot.NONE).target())
                .isEqualTo(RouteTarget.LOAD_BALANCE_NODE);
        RoutingContext plain = router.startSession("db", "", Map.of("default_transaction_isolation", "repeatable read"),
                Clusters.threeNodes(), rng);
        assertThat(route(router, plain, "select 1", Clusters.threeNodes(), LagSnapshot.NONE).target())
                .isEqualTo(RouteTarget.LOAD_BALANCE_NODE);
    }

    @Test
    void aTransactionOnADeadNodeGetsNoNode() {
        Router router = new Router(RoutingSettings.defaults());
        RoutingContext ctx = route(router, RouterTableTest.newSession(), "begin read only", Clusters.threeNodes(),
                LagSnapshot.NONE).context();
        assertThat(ctx.transactionNode()).isEqualTo(1);
        ClusterView view = Clusters.withStatus(Clusters.threeNodes(), 1, NodeStatus.DOWN);
        RouteDecision d = route(router, ctx, "select 1", view, LagSnapshot.NONE);
        assertThat(d.target()).isEqualTo(RouteTarget.NO_NODE);
        assertThat(d.reason()).contains("transaction node 1 is down");
        RouteDecision end = route(router, ctx, "rollback", view, LagSnapshot.NONE);
        assertThat(end.context().inTransaction()).isFalse();
    }

    @Test
    void writesWithoutAPrimaryGetNoNodeButReadsStillWork() {
        ClusterView view = Clusters.withStatus(Clusters.threeNodes(), 0, NodeStatus.DOWN);
        assertThat(route(RoutingSettings.defaults(), "insert into t values (1)", view, LagSnapshot.NONE).target())
                .isEqualTo(RouteTarget.NO_NODE);
        RouteDecision read = route(RoutingSettings.defaults(), "select 1", view, LagSnapshot.NONE);
        assertThat(read.target()).isEqualTo(RouteTarget.LOAD_BALANCE_NODE);
        assertThat(read.nodeId()).isEqualTo(1);
    }

    @Test
    void aPromotedStandbyTakesTheWrites() {
        ClusterView view = Clusters.withRole(Clusters.withStatus(Clusters.threeNodes(), 0, NodeStatus.DOWN), 2,
                NodeRole.PRIMARY);
        RouteDecision d = route(RoutingSettings.defaults(), "insert into t values (1)", view, LagSnapshot.NONE);
        assertThat(d.target()).isEqualTo(RouteTarget.PRIMARY);
        assertThat(d.nodeId()).isEqualTo(2);
    }

    @Test
    void loadBalanceModeOffSendsReadsToThePrimary() {
        RouteDecision d = route(settings(false, false, false, false, true, 0, 0, false), "select 1",
                Clusters.threeNodes(), LagSnapshot.NONE);
        assertThat(d.target()).isEqualTo(RouteTarget.PRIMARY);
        assertThat(d.reason()).contains("load_balance_mode");
    }

    @Test
    void rawModeUsesTheFirstLiveNodeForEverything() {
        RoutingSettings raw = settings(true, true, false, false, true, 0, 0, false);
        ClusterView view = Clusters.withStatus(Clusters.threeNodes(), 0, NodeStatus.DOWN);
        for (String sql : List.of("select 1", "insert into t values (1)", "begin read only")) {
            RouteDecision d = route(raw, sql, view, LagSnapshot.NONE);
            assertThat(d.target()).as(sql).isEqualTo(RouteTarget.PRIMARY);
            assertThat(d.nodeId()).as(sql).isEqualTo(1);
        }
    }

    @Test
    void allowSqlCommentsLetsCommentedReadsBalance() {
        RoutingSettings allow = settings(true, false, false, true, true, 0, 0, false);
        assertThat(route(allow, "/* app=x */ select 1", Clusters.threeNodes(), LagSnapshot.NONE).nodeId())
                .isEqualTo(1);
        assertThat(route(allow, "/*NO LOAD BALANCE*/ select 1", Clusters.threeNodes(), LagSnapshot.NONE).nodeId())
                .isEqualTo(0);
    }

    @Test
    void leadingWhiteSpaceMattersOnlyWhenNotIgnored() {
        RoutingSettings strict = settings(true, false, false, false, false, 0, 0, false);
        assertThat(route(strict, "  select 1", Clusters.threeNodes(), LagSnapshot.NONE).nodeId()).isEqualTo(0);
        assertThat(route(strict, "select 1", Clusters.threeNodes(), LagSnapshot.NONE).nodeId()).isEqualTo(1);
        assertThat(route(RoutingSettings.defaults(), "  select 1", Clusters.threeNodes(), LagSnapshot.NONE).nodeId())
                .isEqualTo(1);
    }

    @Test
    void statementLevelBalancingDrawsPerStatement() {
        Router router = new Router(settings(true, false, true, false, true, 0, 0, false));
        RoutingContext ctx = RouterTableTest.newSession();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            RouteDecision d = route(router, ctx, "select 1", Clusters.threeNodes(), LagSnapshot.NONE);
            seen.add(d.nodeId());
            ctx = d.context();
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void sessionLevelBalancingKeepsTheNode() {
        Router router = new Router(RoutingSettings.defaults());
        RoutingContext ctx = router.startSession("db", "app", Clusters.threeNodes(), rng);
        int node = ctx.loadBalanceNode();
        for (int i = 0; i < 50; i++) {
            RouteDecision d = route(router, ctx, "select 1", Clusters.threeNodes(), LagSnapshot.NONE);
            assertThat(d.nodeId()).isEqualTo(node);
            ctx = d.context();
        }
    }

    private static LagSnapshot lags(long bytes1, long millis1, long bytes2, long millis2) {
        return new LagSnapshot(Map.of(1, new ReplicationLag(bytes1, millis1), 2, new ReplicationLag(bytes2, millis2)));
    }

    @Test
    void aStandbyBeyondDelayThresholdLosesReadsToThePrimary() {
        RouteDecision d = route(delay(1000, 0, false), "select 1", Clusters.threeNodes(), lags(5000, 0, 10, 0));
        assertThat(d.target()).isEqualTo(RouteTarget.PRIMARY);
        assertThat(d.reason()).contains("delay_threshold");
        assertThat(route(delay(1000, 0, false), "select 1", Clusters.threeNodes(), lags(1000, 0, 0, 0)).nodeId())
                .as("at the threshold is not beyond it").isEqualTo(1);
    }

    @Test
    void preferLowerDelayStandbyMovesTheSessionToTheLeastLaggingStandby() {
        RouteDecision d = route(delay(1000, 0, true), "select 1", Clusters.threeNodes(), lags(5000, 0, 10, 0));
        assertThat(d.target()).isEqualTo(RouteTarget.LOAD_BALANCE_NODE);
        assertThat(d.nodeId()).isEqualTo(2);
        assertThat(d.context().loadBalanceNode()).isEqualTo(2);
    }

    @Test
    void preferLowerDelayStandbyFallsBackToThePrimaryWhenAllLag() {
        RouteDecision d = route(delay(1000, 0, true), "select 1", Clusters.threeNodes(), lags(5000, 0, 7000, 0));
        assertThat(d.target()).isEqualTo(RouteTarget.PRIMARY);
    }

    @Test
    void delayThresholdByTimeUsesMilliseconds() {
        RoutingSettings byTime = delay(1000, 200, false);
        assertThat(route(byTime, "select 1", Clusters.threeNodes(), lags(999_999, 100, 0, 0)).nodeId())
                .as("bytes are ignored when the time threshold is set").isEqualTo(1);
        assertThat(route(byTime, "select 1", Clusters.threeNodes(), lags(0, 300, 0, 0)).nodeId()).isEqualTo(0);
    }

    @Test
    void aLaggingStandbyDoesNotGetReadOnlyTransactions() {
        RouteDecision d = route(delay(1000, 0, false), "begin read only", Clusters.threeNodes(), lags(5000, 0, 0, 0));
        assertThat(d.nodeId()).isEqualTo(0);
        assertThat(d.context().transactionNode()).isEqualTo(0);
    }

    @Test
    void lagOfThePrimaryChoiceIsIrrelevant() {
        RoutingContext onPrimary = RoutingContext.initial("db", "app").withLoadBalanceNode(0);
        RouteDecision d = route(new Router(delay(1, 0, false)), onPrimary, "select 1", Clusters.threeNodes(),
                lags(5000, 0, 5000, 0));
        assertThat(d.target()).isEqualTo(RouteTarget.LOAD_BALANCE_NODE);
        assertThat(d.nodeId()).isZero();
    }

    @Test
    void readyForQueryCorrectsTheTransactionState() {
        RoutingContext ctx = RouterTableTest.newSession();
        RoutingContext inTx = ctx.syncTransactionStatus('T', 0);
        assertThat(inTx.inTransaction()).isTrue();
        assertThat(inTx.transactionNode()).isZero();
        assertThat(inTx.syncTransactionStatus('E', 0)).isSameAs(inTx);
        assertThat(inTx.syncTransactionStatus('I', 0).inTransaction()).isFalse();
        assertThat(ctx.syncTransactionStatus('I', 0)).isSameAs(ctx);
    }

    @Test
    void aFailedCommitLeavesTheTransactionOpenUntilReadyForQuerySaysSo() {
        Router router = new Router(RoutingSettings.defaults());
        RoutingContext ctx = route(router, RouterTableTest.newSession(), "begin", Clusters.threeNodes(),
                LagSnapshot.NONE).context();
        RoutingContext afterCommit = route(router, ctx, "commit", Clusters.threeNodes(), LagSnapshot.NONE).context();
        assertThat(afterCommit.inTransaction()).isFalse();
        assertThat(afterCommit.syncTransactionStatus('T', 0).transactionNode()).isZero();
    }

    @Test
    void writtenTablesAreTrackedForTheTransaction() {
        Router router = new Router(RoutingSettings.defaults().withWriteMode(DisableLoadBalanceOnWrite.DML_ADAPTIVE));
        RoutingContext ctx = RouterTableTest.newSession();
        for (String sql : List.of("begin", "insert into a values (1)", "update s.b set x = 1")) {
            ctx = route(router, ctx, sql, Clusters.threeNodes(), LagSnapshot.NONE).context();
        }
        assertThat(ctx.writtenTables()).containsExactlyInAnyOrder("a", "s.b");
        assertThat(ctx.transactionWrote()).isTrue();
        ctx = route(router, ctx, "commit", Clusters.threeNodes(), LagSnapshot.NONE).context();
        assertThat(ctx.writtenTables()).isEmpty();
        assertThat(ctx.wroteInTransaction()).isTrue();
    }

    @Test
    void anEmptyQueryGoesToThePrimary() {
        RouteDecision d = route(RoutingSettings.defaults(), "  ", Clusters.threeNodes(), LagSnapshot.NONE);
        assertThat(d.target()).isEqualTo(RouteTarget.PRIMARY);
    }

    @Test
    void anExtendedBatchRoutesLikeAMultiStatementString() {
        Router router = new Router(RoutingSettings.defaults());
        List<ClassifiedStatement> reads = List.of(CLASSIFIER.classify("select 1").single(),
                CLASSIFIER.classify("select $1").single());
        assertThat(router.route(RouterTableTest.newSession(), reads, Clusters.threeNodes(), LagSnapshot.NONE, rng)
                .nodeId()).isEqualTo(1);
        List<ClassifiedStatement> mixed = List.of(CLASSIFIER.classify("select 1").single(),
                CLASSIFIER.classify("insert into t values ($1)").single());
        assertThat(router.route(RouterTableTest.newSession(), mixed, Clusters.threeNodes(), LagSnapshot.NONE, rng)
                .nodeId()).isZero();
    }
}
