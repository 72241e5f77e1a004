package org.vxpool.proxy.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.ClusterView;

/**
 * Chooses a session's read node as pgpool's {@code select_load_balancing_node} does: redirect
 * preference lists first, then a draw weighted by {@code backend_weight} over every routable
 * node, primary included. Pure: the caller supplies the random source.
 */
final class LoadBalancer {

    private LoadBalancer() {
    }

    /** The primary's id; in raw mode the main node (the first routable one). -1 when there is none. */
    static int primaryId(ClusterView view, RoutingSettings settings) {
        // a loop, not a stream: this runs for every routed statement
        for (BackendNode n : view.nodes()) {
            if (n.routable() && (settings.raw() || n.isPrimary())) {
                return n.id();
            }
        }
        return -1;
    }

    static boolean routable(ClusterView view, int node) {
        return node >= 0 && node < view.nodes().size() && view.node(node).routable();
    }

    /** A read node for a session of {@code ctx}; the primary when nothing else qualifies, -1 when nothing is up. */
    static int choose(RoutingContext ctx, ClusterView view, RoutingSettings settings, RandomGenerator rng) {
        int primary = primaryId(view, settings);
        RedirectRule rule = redirectRule(ctx, view, settings, primary);
        int exclude = -1;
        boolean standbysOnly = false;
        if (rule != null) {
            double r = rng.nextDouble();
            if (rule.target() == RedirectRule.Target.STANDBY) {
                if (r >= rule.ratio()) {
                    return primary;
                }
                standbysOnly = true;
            } else {
                int target = rule.target() == RedirectRule.Target.PRIMARY ? primary : rule.nodeId();
                if (r < rule.ratio()) {
                    return target;
                }
                exclude = target;
            }
        }
        List<BackendNode> candidates = new ArrayList<>();
        for (BackendNode n : view.nodes()) {
            if (n.routable() && n.weight() > 0 && n.id() != exclude && !(standbysOnly && n.id() == primary)) {
                candidates.add(n);
            }
        }
        int chosen = weighted(candidates, rng);
        return chosen >= 0 ? chosen : primary;
    }

    /**
     * The application-name rule when one matches a live target (pgpool lets it override the
     * database rule), else the database rule; the first matching entry of a list wins.
     */
    private static RedirectRule redirectRule(RoutingContext ctx, ClusterView view, RoutingSettings settings,
            int primary) {
        if (ctx.applicationName() != null && !ctx.applicationName().isEmpty()) {
            RedirectRule app = firstMatch(settings.appNameRedirects(), ctx.applicationName());
            if (app != null && usable(app, view, primary)) {
                return app;
            }
        }
        RedirectRule db = firstMatch(settings.databaseRedirects(), ctx.database());
        return db != null && usable(db, view, primary) ? db : null;
    }

    private static RedirectRule firstMatch(List<RedirectRule> rules, String name) {
        for (RedirectRule r : rules) {
            if (r.matches(name)) {
                return r;
            }
        }
        return null;
    }

    private static boolean usable(RedirectRule rule, ClusterView view, int primary) {
        return switch (rule.target()) {
            case STANDBY -> true;
            case PRIMARY -> primary >= 0;
            case NODE -> routable(view, rule.nodeId());
        };
    }

    /** A node drawn with probability proportional to its weight; -1 for an empty list. */
    static int weighted(List<BackendNode> candidates, RandomGenerator rng) {
        double total = 0;
        for (BackendNode n : candidates) {
            total += n.weight();
        }
        if (total <= 0) {
            return -1;
        }
        double r = rng.nextDouble() * total;
        for (BackendNode n : candidates) {
            r -= n.weight();
            if (r < 0) {
                return n.id();
            }
        }
        return candidates.get(candidates.size() - 1).id();
    }

    /**
     * For {@code prefer_lower_delay_standby}: the standby with the least lag among those within
     * the threshold and with weight above 0, ties drawn by weight; -1 when none.
     */
    static int leastLaggingStandby(ClusterView view, LagSnapshot lags, RoutingSettings settings, int primary,
            RandomGenerator rng) {
        List<BackendNode> best = new ArrayList<>();
        long bestLag = Long.MAX_VALUE;
        for (BackendNode n : view.nodes()) {
            ReplicationLag lag = lags.of(n.id());
            if (!n.routable() || n.id() == primary || n.weight() <= 0 || settings.tooFarBehind(lag)) {
                continue;
            }
            long l = settings.delayThresholdMillis() > 0 ? lag.millis() : lag.bytes();
            if (l < bestLag) {
                best.clear();
                bestLag = l;
            }
            if (l == bestLag) {
                best.add(n);
            }
        }
        return weighted(best, rng);
    }
}
