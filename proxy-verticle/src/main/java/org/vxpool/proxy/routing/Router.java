package org.vxpool.proxy.routing;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.vxpool.common.config.DisableLoadBalanceOnWrite;
import org.vxpool.common.model.ClusterView;

/**
 * Decides where each statement of a session runs. A pure function of its inputs: the session's
 * {@link RoutingContext}, the classified SQL, the cluster view, the replication lag and a random
 * source; it returns the target and the next context. No sockets, no Vert.x.
 *
 * <p>The rules, in order: an explicit transaction stays on the node where it began (the primary
 * unless it began read-only); writes, and anything unclassifiable, go to the primary; session
 * settings go to every node the session holds; reads go to the session's load-balance node unless
 * {@code disable_load_balance_on_write}, a leading comment, a system catalog or replication lag
 * says otherwise. See docs/ROUTING.md.
 */
public final class Router {

    private final RoutingSettings settings;

    public Router(RoutingSettings settings) {
        this.settings = settings;
    }

    public RoutingSettings settings() {
        return settings;
    }

    /** The context of a new session, with its load-balance node already drawn. */
    public RoutingContext startSession(String database, String applicationName, ClusterView view,
            RandomGenerator rng) {
        RoutingContext ctx = RoutingContext.initial(database, applicationName);
        return ctx.withLoadBalanceNode(LoadBalancer.choose(ctx, view, settings, rng));
    }

    /**
     * As {@link #startSession(String, String, ClusterView, RandomGenerator)}, with the transaction
     * defaults of the start-up packet's settings ({@code options=-c default_transaction_isolation=serializable}):
     * a session that is read-only or serializable by default from its start routes as if it had
     * SET them.
     *
     * @param startupGucs the start-up settings by lower-case name
     */
    public RoutingContext startSession(String database, String applicationName, Map<String, String> startupGucs,
            ClusterView view, RandomGenerator rng) {
        RoutingContext ctx = startSession(database, applicationName, view, rng);
        String readOnly = startupGucs.get("default_transaction_read_only");
        String isolation = startupGucs.get("default_transaction_isolation");
        if (readOnly == null && isolation == null) {
            return ctx;
        }
        return ctx.withDefaults(readOnly != null && TxSyntax.isTrue(readOnly),
                isolation != null && TxSyntax.isolationValue(isolation) == Isolation.SERIALIZABLE);
    }

    /** Routes one simple-protocol query string (all its statements go to one place). */
    public RouteDecision route(RoutingContext ctx, Classification sql, ClusterView view, LagSnapshot lags,
            RandomGenerator rng) {
        return route(ctx, sql.statements(), view, lags, rng);
    }

    /**
     * Routes statements that must run on one backend together: a multi-statement query string, or
     * an extended-protocol batch up to Sync. When they would go to different nodes, they all go to
     * the primary, and a transaction begun inside them is then on the primary too.
     */
    public RouteDecision route(RoutingContext ctx, List<ClassifiedStatement> statements, ClusterView view,
            LagSnapshot lags, RandomGenerator rng) {
        if (statements.isEmpty()) {
            return at(RouteTarget.PRIMARY, ctx.inTransaction() ? ctx.transactionNode()
                    : LoadBalancer.primaryId(view, settings), "empty query", ctx);
        }
        if (statements.size() == 1) {
            return routeOne(ctx, statements.get(0), view, lags, rng);
        }
        return MultiStatement.combine(this, ctx, statements, view, lags, rng);
    }

    /** Routes a single statement. */
    public RouteDecision routeOne(RoutingContext ctx, ClassifiedStatement s, ClusterView view, LagSnapshot lags,
            RandomGenerator rng) {
        int primary = LoadBalancer.primaryId(view, settings);
        return switch (s.kind()) {
            case SHOW_POOL -> new RouteDecision(RouteTarget.INTERCEPT, -1, s.reason(), ctx);
            case TX_BEGIN -> begin(ctx, s, view, lags, rng, primary);
            case TX_END -> end(ctx, s, view, primary);
            case SAVEPOINT, TX_LOCAL -> stay(ctx, view, primary, s.reason());
            case SESSION_SET -> sessionSet(ctx, s, primary);
            case EXECUTE -> ctx.preparedReads().contains(s.name())
                    ? read(ctx, s, view, lags, rng, primary)
                    : write(ctx, s, view, primary, ctx.preparedWrites().contains(s.name()));
            case READ -> read(ctx, s, view, lags, rng, primary);
            case WRITE -> write(ctx, s, view, primary, s.prepared() != PreparedOp.PREPARE);
            case PRIMARY_ONLY, UNKNOWN -> write(ctx, s, view, primary, false);
        };
    }

    private RouteDecision begin(RoutingContext ctx, ClassifiedStatement s, ClusterView view, LagSnapshot lags,
            RandomGenerator rng, int primary) {
        if (ctx.inTransaction()) {
            return stay(ctx, view, primary, "BEGIN inside a transaction");
        }
        boolean readOnly = s.access() == TxAccess.READ_ONLY
                || (s.access() == TxAccess.UNSPECIFIED && ctx.defaultReadOnly());
        boolean serializable = s.isolation() == Isolation.SERIALIZABLE
                || (s.isolation() == Isolation.UNSPECIFIED && ctx.defaultSerializable());
        String blocked = !readOnly ? "read-write transaction"
                : serializable ? "serializable transaction"
                : balanceBlockedFor(ctx, true);
        RouteDecision d = blocked != null ? onPrimary(ctx, primary, blocked)
                : readNode(ctx, view, lags, rng, primary, "read-only transaction");
        if (d.target() == RouteTarget.NO_NODE) {
            return d;
        }
        return d.withContext(d.context().beginTransaction(d.nodeId(), readOnly));
    }

    private RouteDecision end(RoutingContext ctx, ClassifiedStatement s, ClusterView view, int primary) {
        RouteDecision d = ctx.inTransaction() ? stay(ctx, view, primary, s.reason())
                : onPrimary(ctx, primary, s.reason() + " outside a transaction");
        if (!ctx.inTransaction()) {
            return d;
        }
        RoutingContext ended = ctx.endTransaction();
        if (s.chain()) {
            ended = ended.beginTransaction(ctx.transactionNode(), ctx.transactionReadOnly());
        }
        return d.withContext(ended);
    }

    /** Inside a transaction: its node. Outside: the primary. */
    private RouteDecision stay(RoutingContext ctx, ClusterView view, int primary, String reason) {
        if (!ctx.inTransaction()) {
            return onPrimary(ctx, primary, reason);
        }
        int node = ctx.transactionNode();
        if (!LoadBalancer.routable(view, node)) {
            return new RouteDecision(RouteTarget.NO_NODE, -1, "transaction node " + node + " is down", ctx);
        }
        return at(node == primary ? RouteTarget.PRIMARY : RouteTarget.LOAD_BALANCE_NODE, node, reason, ctx);
    }

    private RouteDecision sessionSet(RoutingContext ctx, ClassifiedStatement s, int primary) {
        RoutingContext next = ctx;
        if (s.access() != TxAccess.UNSPECIFIED || s.isolation() != Isolation.UNSPECIFIED) {
            next = next.withDefaults(
                    s.access() == TxAccess.UNSPECIFIED ? ctx.defaultReadOnly() : s.access() == TxAccess.READ_ONLY,
                    s.isolation() == Isolation.UNSPECIFIED ? ctx.defaultSerializable()
                            : s.isolation() == Isolation.SERIALIZABLE);
        }
        if (s.temporary()) {
            next = next.withTemporaryTables(Set.of());
        }
        if (s.prepared() == PreparedOp.NONE) {
            return new RouteDecision(RouteTarget.ALL_SESSION_NODES, -1, s.reason(), next);
        }
        Set<String> reads = new HashSet<>(ctx.preparedReads());
        Set<String> writes = new HashSet<>(ctx.preparedWrites());
        switch (s.prepared()) {
            case PREPARE -> reads.add(s.name());
            case DEALLOCATE -> {
                writes.remove(s.name());
                if (!reads.remove(s.name())) {
                    // Prepared on the primary only, or unknown: the primary gives PostgreSQL's own answer.
                    return onPrimary(next.withPrepared(reads, writes), primary, "DEALLOCATE of a statement "
                            + "prepared on the primary only");
                }
            }
            case DEALLOCATE_ALL -> {
                reads.clear();
                writes.clear();
            }
            default -> {
            }
        }
        return new RouteDecision(RouteTarget.ALL_SESSION_NODES, -1, s.reason(), next.withPrepared(reads, writes));
    }

    private RouteDecision write(RoutingContext ctx, ClassifiedStatement s, ClusterView view, int primary,
            boolean marksWrite) {
        RouteDecision d = ctx.inTransaction() ? stay(ctx, view, primary, s.reason())
                : onPrimary(ctx, primary, s.reason());
        RoutingContext next = d.context();
        if (marksWrite) {
            next = next.wrote(s.writtenTables());
        }
        if (s.temporary() && s.kind() == StatementKind.WRITE) {
            next = next.withTemporaryTables(RoutingContext.union(next.temporaryTables(), s.writtenTables()));
        }
        if (s.kind() == StatementKind.WRITE && s.prepared() == PreparedOp.PREPARE) {
            Set<String> writes = new HashSet<>(next.preparedWrites());
            writes.add(s.name());
            Set<String> reads = new HashSet<>(next.preparedReads());
            reads.remove(s.name());
            next = next.withPrepared(reads, writes);
        }
        return d.withContext(next);
    }

    /** A read outside a transaction. */
    private RouteDecision read(RoutingContext ctx, ClassifiedStatement s, ClusterView view, LagSnapshot lags,
            RandomGenerator rng, int primary) {
        if (ctx.inTransaction()) {
            return stay(ctx, view, primary, "in transaction");
        }
        String blocked = balanceBlockedFor(ctx, false);
        if (blocked == null && !settings.allowSqlComments() && s.commentFirst()) {
            blocked = "comment before the query (allow_sql_comments = off)";
        } else if (blocked == null && !settings.ignoreLeadingWhiteSpace() && s.whitespaceFirst()) {
            blocked = "white space before the query (ignore_leading_white_space = off)";
        } else if (blocked == null && s.systemCatalog()) {
            blocked = "reads a system catalog";
        } else if (blocked == null && readsTemporaryTable(ctx, s)) {
            blocked = "reads a temporary table, which exists on the primary only";
        } else if (blocked == null && ctx.defaultSerializable()) {
            // the statement's implicit transaction is serializable, which a hot standby refuses
            // ("cannot use serializable mode in a hot standby"), as it refuses BEGIN ISOLATION LEVEL SERIALIZABLE
            blocked = "serializable by default (default_transaction_isolation), which a standby refuses";
        }
        if (blocked != null) {
            return onPrimary(ctx, primary, blocked);
        }
        return readNode(ctx, view, lags, rng, primary, s.reason());
    }

    /** Compares relation names without schema: a temporary table shadows a permanent one of its name. */
    private static boolean readsTemporaryTable(RoutingContext ctx, ClassifiedStatement s) {
        if (ctx.temporaryTables().isEmpty()) {
            return false;
        }
        Set<String> temp = new HashSet<>();
        ctx.temporaryTables().forEach(t -> temp.add(t.substring(t.lastIndexOf('.') + 1)));
        return s.readTables().stream().anyMatch(t -> temp.contains(t.substring(t.lastIndexOf('.') + 1)));
    }

    /**
     * Why reads may not be balanced now, or null when they may.
     *
     * @param startingTransaction the read opens an explicit (read-only) transaction
     */
    private String balanceBlockedFor(RoutingContext ctx, boolean startingTransaction) {
        if (settings.raw()) {
            return "raw mode";
        }
        if (!settings.loadBalance()) {
            return "load_balance_mode = off";
        }
        DisableLoadBalanceOnWrite mode = settings.writeMode();
        if (mode == DisableLoadBalanceOnWrite.ALWAYS && ctx.wroteInSession()) {
            return "the session wrote (disable_load_balance_on_write = always)";
        }
        if (startingTransaction && mode == DisableLoadBalanceOnWrite.TRANS_TRANSACTION && ctx.wroteInTransaction()) {
            return "an earlier transaction wrote (disable_load_balance_on_write = trans_transaction)";
        }
        return null;
    }

    /** The session's read node, re-drawn when gone or per statement, with the lag rules applied. */
    private RouteDecision readNode(RoutingContext ctx, ClusterView view, LagSnapshot lags, RandomGenerator rng,
            int primary, String reason) {
        RoutingContext next = ctx;
        int node = ctx.loadBalanceNode();
        if (settings.statementLevel() || !LoadBalancer.routable(view, node)) {
            node = LoadBalancer.choose(ctx, view, settings, rng);
            next = ctx.withLoadBalanceNode(node);
        }
        if (node < 0) {
            return new RouteDecision(RouteTarget.NO_NODE, -1, "no backend node is up", next);
        }
        if (node != primary && settings.delayCheck() && settings.tooFarBehind(lags.of(node))) {
            int better = settings.preferLowerDelayStandby()
                    ? LoadBalancer.leastLaggingStandby(view, lags, settings, primary, rng) : -1;
            if (better < 0) {
                return onPrimary(next, primary, "standby " + node + " lags beyond delay_threshold");
            }
            next = next.withLoadBalanceNode(better);
            return at(RouteTarget.LOAD_BALANCE_NODE, better, reason + "; node " + node
                    + " lags, prefer_lower_delay_standby chose " + better, next);
        }
        return at(RouteTarget.LOAD_BALANCE_NODE, node, reason, next);
    }

    static RouteDecision onPrimary(RoutingContext ctx, int primary, String reason) {
        if (primary < 0) {
            return new RouteDecision(RouteTarget.NO_NODE, -1, "no primary node is up (" + reason + ")", ctx);
        }
        return new RouteDecision(RouteTarget.PRIMARY, primary, reason, ctx);
    }

    static RouteDecision at(RouteTarget target, int node, String reason, RoutingContext ctx) {
        if (node < 0) {
            return new RouteDecision(RouteTarget.NO_NODE, -1, "no usable node (" + reason + ")", ctx);
        }
        return new RouteDecision(target, node, reason, ctx);
    }
}
