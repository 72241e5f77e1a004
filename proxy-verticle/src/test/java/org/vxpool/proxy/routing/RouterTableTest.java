package org.vxpool.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vxpool.common.config.DisableLoadBalanceOnWrite;
import org.vxpool.common.model.ClusterView;

/** The router from tables: single query strings, and per-mode sequences of a session. */
class RouterTableTest {

    private static final ClusterView VIEW = Clusters.threeNodes();
    private static final SqlClassifier CLASSIFIER = SqlClassifier.defaults();
    private static final DisableLoadBalanceOnWrite[] MODE_COLUMNS = {
        DisableLoadBalanceOnWrite.OFF, DisableLoadBalanceOnWrite.TRANSACTION,
        DisableLoadBalanceOnWrite.TRANS_TRANSACTION, DisableLoadBalanceOnWrite.ALWAYS,
        DisableLoadBalanceOnWrite.DML_ADAPTIVE};

    static Stream<CaseFiles.Row> routerCases() {
        return CaseFiles.rows("router-cases.tsv").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routerCases")
    void routesAQueryOfANewSession(CaseFiles.Row row) {
        Router router = new Router(RoutingSettings.defaults());
        RouteDecision d = router.route(newSession(), CLASSIFIER.classify(row.col(1)), VIEW, LagSnapshot.NONE,
                new SplittableRandom(1));
        assertThat(code(d)).as(row + " (reason: " + d.reason() + ")").isEqualTo(row.col(0));
    }

    record Step(int line, String[] expected, String sql) {
    }

    record Sequence(String name, List<Step> steps) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Sequence> sequences() {
        List<Sequence> out = new ArrayList<>();
        Sequence current = null;
        for (CaseFiles.Line l : CaseFiles.lines("write-mode-sequences.txt")) {
            if (l.text().startsWith("== ")) {
                current = new Sequence(l.text().substring(3), new ArrayList<>());
                out.add(current);
            } else if (!l.text().isBlank() && !l.text().startsWith("#")) {
                String[] parts = l.text().split("\t", 2);
                current.steps().add(new Step(l.number(), parts[0].trim().split("\\s+"), parts[1]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void followsDisableLoadBalanceOnWrite(Sequence seq) {
        for (int m = 0; m < MODE_COLUMNS.length; m++) {
            Router router = new Router(RoutingSettings.defaults().withWriteMode(MODE_COLUMNS[m]));
            RoutingContext ctx = newSession();
            for (Step step : seq.steps()) {
                RouteDecision d = router.route(ctx, CLASSIFIER.classify(step.sql()), VIEW, LagSnapshot.NONE,
                        new SplittableRandom(1));
                assertThat(code(d)).as("line %d, mode %s: %s (reason: %s)", step.line(), MODE_COLUMNS[m],
                        step.sql(), d.reason()).isEqualTo(step.expected()[m]);
                ctx = d.context();
            }
        }
    }

    @Test
    void tablesAreLarge() {
        assertThat(CaseFiles.rows("router-cases.tsv")).hasSizeGreaterThan(100);
        assertThat(sequences().mapToInt(s -> s.steps().size()).sum()).isGreaterThan(100);
    }

    static RoutingContext newSession() {
        return RoutingContext.initial("db", "app").withLoadBalanceNode(1);
    }

    /** P, L (with the node ids of the test cluster), A, I or N. */
    static String code(RouteDecision d) {
        return switch (d.target()) {
            case PRIMARY -> d.nodeId() == 0 ? "P" : "P" + d.nodeId();
            case LOAD_BALANCE_NODE -> d.nodeId() == 1 ? "L" : "L" + d.nodeId();
            case ALL_SESSION_NODES -> "A";
            case INTERCEPT -> "I";
            case NO_NODE -> "N";
        };
    }
}
