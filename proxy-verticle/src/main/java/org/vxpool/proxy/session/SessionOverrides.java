package org.vxpool.proxy.session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.vxpool.common.config.Param;
import org.vxpool.common.config.Params;
import org.vxpool.proxy.routing.Router;
import org.vxpool.proxy.routing.RoutingSettings;

/**
 * The parameters one client session changed with {@code PGPOOL SET}, and what the session runs
 * with because of them: its idle limits, its statement logging and its router. Confined to the
 * session's event loop. Only parameters the session reads while it runs can be set; everything
 * else is read once per proxy (pools, listeners) or per node (health check, watchdog).
 */
public final class SessionOverrides {
    /**
     * What {@code PGPOOL SET} may change. The routing switches act only where the session balances
     * reads (load_balance_mode on, more than one node); they are accepted without it, as pgpool does.
     */
    public static final List<Param<?>> SETTABLE = List.of(
            Params.CLIENT_IDLE_LIMIT,
            Params.CLIENT_IDLE_LIMIT_IN_RECOVERY,
            Params.LOG_STATEMENT,
            Params.LOG_PER_NODE_STATEMENT,
            Params.LOG_CLIENT_MESSAGES,
            Params.STATEMENT_LEVEL_LOAD_BALANCE,
            Params.DISABLE_LOAD_BALANCE_ON_WRITE,
            Params.ALLOW_SQL_COMMENTS,
            Params.IGNORE_LEADING_WHITE_SPACE);

    private final ProxyContext ctx;
    private final Map<Param<?>, Object> values = new LinkedHashMap<>(4);
    private SessionLogging logging;
    private Router router;

    SessionOverrides(ProxyContext ctx) {
        this.ctx = ctx;
        derive();
    }

    /** The session's value of {@code p} when it set one. */
    public Optional<Object> get(Param<?> p) {
        return Optional.ofNullable(values.get(p));
    }

    /** @throws IllegalArgumentException for a parameter not in {@link #SETTABLE} (callers check first) */
    public <T> void set(Param<T> p, T value) {
        if (!SETTABLE.contains(p)) {
            throw new IllegalArgumentException(p.name() + " cannot be set per session");
        }
        values.put(p, value);
        derive();
    }

    /** Back to the configuration's value. */
    public void reset(Param<?> p) {
        values.remove(p);
        derive();
    }

    public void resetAll() {
        values.clear();
        derive();
    }

    /** The session's client_idle_limit in seconds when it set one, else empty: the proxy's applies. */
    public OptionalInt clientIdleLimit() {
        return intValue(Params.CLIENT_IDLE_LIMIT);
    }

    /** The session's client_idle_limit_in_recovery when it set one, else empty: the proxy's applies. */
    public OptionalInt clientIdleLimitInRecovery() {
        return intValue(Params.CLIENT_IDLE_LIMIT_IN_RECOVERY);
    }

    private OptionalInt intValue(Param<Integer> p) {
        Integer v = (Integer) values.get(p);
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    SessionLogging logging() {
        return logging;
    }

    /** The proxy's router with the session's switches; null when the proxy does not balance. */
    Router router() {
        return router;
    }

    private void derive() {
        SessionLogging base = ctx.logging();
        // the proxy's own objects until the session sets something: nothing extra per idle client
        logging = values.isEmpty() ? base : new SessionLogging(base.connections(), base.disconnections(),
                value(Params.LOG_STATEMENT, base.statements()), value(Params.LOG_PER_NODE_STATEMENT, base.perNodeStatements()),
                value(Params.LOG_CLIENT_MESSAGES, base.clientMessages()), base.hostnames());
        Router shared = ctx.router();
        if (shared == null || !routingChanged()) {
            router = shared;
            return;
        }
        RoutingSettings r = shared.settings();
        router = new Router(r.withSessionSwitches(
                value(Params.STATEMENT_LEVEL_LOAD_BALANCE, r.statementLevel()),
                value(Params.DISABLE_LOAD_BALANCE_ON_WRITE, r.writeMode()),
                value(Params.ALLOW_SQL_COMMENTS, r.allowSqlComments()),
                value(Params.IGNORE_LEADING_WHITE_SPACE, r.ignoreLeadingWhiteSpace())));
    }

    private boolean routingChanged() {
        return values.containsKey(Params.STATEMENT_LEVEL_LOAD_BALANCE) || values.containsKey(Params.DISABLE_LOAD_BALANCE_ON_WRITE)
                || values.containsKey(Params.ALLOW_SQL_COMMENTS) || values.containsKey(Params.IGNORE_LEADING_WHITE_SPACE);
    }

    private <T> T value(Param<T> p, T fallback) {
        @SuppressWarnings("unchecked")
        T v = (T) values.get(p);
        return v != null ? v : fallback;
    }
}
