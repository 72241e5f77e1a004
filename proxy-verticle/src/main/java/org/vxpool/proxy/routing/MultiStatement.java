package org.vxpool.proxy.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.vxpool.common.model.ClusterView;

/**
 * Routing of statements that travel together: one query string with several statements, or an
 * extended-protocol batch. They can reach only one place, so when their single routes disagree
 * everything goes to the primary, the one node where every statement can run.
 */
final class MultiStatement {

    private MultiStatement() {
    }

    static RouteDecision combine(Router router, RoutingContext ctx, List<ClassifiedStatement> statements,
            ClusterView view, LagSnapshot lags, RandomGenerator rng) {
        List<RouteDecision> decisions = new ArrayList<>(statements.size());
        RoutingContext c = ctx;
        for (ClassifiedStatement s : statements) {
            RouteDecision d = router.routeOne(c, s, view, lags, rng);
            if (d.target() == RouteTarget.NO_NODE) {
                return d.withContext(ctx);
            }
            decisions.add(d);
            c = d.context();
        }
        int primary = LoadBalancer.primaryId(view, router.settings());
        if (ctx.inTransaction()) {
            int node = ctx.transactionNode();
            return Router.at(node == primary ? RouteTarget.PRIMARY : RouteTarget.LOAD_BALANCE_NODE, node,
                    "multi-statement query in transaction", c);
        }
        int node = -2;
        boolean sameNode = true;
        boolean sessionSet = false;
        boolean onlyReadsAndSets = true;
        for (int i = 0; i < decisions.size(); i++) {
            RouteDecision d = decisions.get(i);
            StatementKind kind = statements.get(i).kind();
            onlyReadsAndSets &= kind == StatementKind.READ || kind == StatementKind.SESSION_SET;
            if (d.target() == RouteTarget.ALL_SESSION_NODES) {
                sessionSet = true;
            } else if (d.target() == RouteTarget.INTERCEPT || (node != -2 && d.nodeId() != node)) {
                sameNode = false;
            } else {
                node = d.nodeId();
            }
        }
        if (sessionSet && onlyReadsAndSets) {
            return new RouteDecision(RouteTarget.ALL_SESSION_NODES, -1, "multi-statement query with session settings",
                    c);
        }
        if (sameNode && !sessionSet && node >= 0) {
            RouteDecision first = decisions.get(0);
            return Router.at(node == primary ? RouteTarget.PRIMARY : RouteTarget.LOAD_BALANCE_NODE, node,
                    "multi-statement query: " + first.reason(), c);
        }
        if (c.inTransaction() && c.transactionNode() != primary) {
            c = c.onTransactionNode(primary);
        }
        return Router.onPrimary(c, primary, "multi-statement query: " + firstNonRead(decisions, statements));
    }

    private static String firstNonRead(List<RouteDecision> decisions, List<ClassifiedStatement> statements) {
        for (int i = 0; i < statements.size(); i++) {
            if (!statements.get(i).isRead()) {
                return statements.get(i).reason();
            }
        }
        return decisions.get(0).reason();
    }
}
