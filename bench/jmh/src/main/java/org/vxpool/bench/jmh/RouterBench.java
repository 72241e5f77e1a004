package org.vxpool.bench.jmh;

import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.proxy.routing.Classification;
import org.vxpool.proxy.routing.LagSnapshot;
import org.vxpool.proxy.routing.RouteDecision;
import org.vxpool.proxy.routing.Router;
import org.vxpool.proxy.routing.RoutingContext;
import org.vxpool.proxy.routing.RoutingSettings;
import org.vxpool.proxy.routing.SqlClassifier;

/**
 * The router's decision for already classified statements on a primary + standby view: an
 * autocommit read (the load-balanced case) and a whole TPC-B-like transaction
 * (BEGIN, UPDATE, SELECT, INSERT, END), which moves the session context through a transaction.
 */
public class RouterBench extends HotPathBench {

    private Router router;
    private ClusterView view;
    private RoutingContext start;
    private final SplittableRandom rng = new SplittableRandom(42);
    private Classification read;
    private List<Classification> tpcb;

    @Setup
    public void setup() {
        router = new Router(RoutingSettings.defaults());
        view = new ClusterView(1, List.of(
                new BackendNode(0, "127.0.0.1", 5432, 1, NodeStatus.UP, NodeRole.PRIMARY, 0),
                new BackendNode(1, "127.0.0.1", 5433, 1, NodeStatus.UP, NodeRole.STANDBY, 0)));
        start = router.startSession("postgres", "pgbench", view, rng);
        SqlClassifier c = SqlClassifier.defaults();
        read = c.classify("SELECT abalance FROM pgbench_accounts WHERE aid = 4711;");
        tpcb = List.of(
                c.classify("BEGIN;"),
                c.classify("UPDATE pgbench_accounts SET abalance = abalance + 10 WHERE aid = 4711;"),
                c.classify("SELECT abalance FROM pgbench_accounts WHERE aid = 4711;"),
                c.classify("INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (1, 1, 4711, 10, CURRENT_TIMESTAMP);"),
                c.classify("END;"));
    }

    @Benchmark
    public RouteDecision autocommitRead() {
        return router.route(start, read, view, LagSnapshot.NONE, rng);
    }

    @Benchmark
    public RoutingContext tpcbTransaction() {
        RoutingContext ctx = start;
        for (Classification sql : tpcb) {
            ctx = router.route(ctx, sql, view, LagSnapshot.NONE, rng).context();
        }
        return ctx;
    }
}
