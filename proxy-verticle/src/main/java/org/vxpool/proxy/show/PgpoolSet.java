package org.vxpool.proxy.show;

import io.vertx.core.Future;
import java.util.Optional;
import java.util.stream.Collectors;
import org.vxpool.common.config.InvalidValueException;
import org.vxpool.common.config.Param;
import org.vxpool.proxy.protocol.SqlState;
import org.vxpool.proxy.session.SessionOverrides;

/**
 * {@code PGPOOL SET name {TO | =} value | DEFAULT} and {@code PGPOOL RESET name | ALL}: a value
 * for this client session only, checked with the parameter's own type and validator, as the
 * configuration loader checks it. Only {@link SessionOverrides#SETTABLE} parameters can be set.
 * Tags as pgpool-II's: {@code SET}, and {@code RESET} (pgpool answers {@code SET} to a RESET of
 * one name, which PostgreSQL answers {@code RESET}; we follow PostgreSQL there).
 */
final class PgpoolSet implements ShowCommand {
    private final PgpoolStatement statement;

    PgpoolSet(PgpoolStatement statement) {
        this.statement = statement;
    }

    @Override
    public Future<ShowResult> run(ShowContext ctx) {
        return Future.succeededFuture(execute(ctx.session().overrides(), true));
    }

    /** A Describe without Execute: the same checks, nothing changed. */
    @Override
    public Future<ShowResult> describe(ShowContext ctx) {
        return Future.succeededFuture(execute(ctx.session().overrides(), false));
    }

    private ShowResult execute(SessionOverrides overrides, boolean apply) {
        boolean set = statement.verb() == PgpoolStatement.Verb.SET;
        String tag = set ? "SET" : "RESET";
        if (statement.all()) {
            if (apply) {
                overrides.resetAll();
            }
            return ShowResult.command(tag);
        }
        Param<?> p = settable(statement.name());
        if (set && statement.value() != null) {
            Object value = parse(p, statement.value());
            if (apply) {
                put(overrides, p, value);
            }
        } else if (apply) {
            overrides.reset(p);
        }
        return ShowResult.command(tag);
    }

    @SuppressWarnings("unchecked")
    private static <T> void put(SessionOverrides overrides, Param<T> p, Object value) {
        overrides.set(p, (T) value);
    }

    private static Param<?> settable(String name) {
        Optional<ParamName> p = ParamName.lookup(name);
        if (p.isEmpty() && ConfigRows.group(name).isEmpty()) {
            throw ParamName.unknown(name);
        }
        Param<?> global = p.map(ParamName::global).orElse(null);
        if (global == null || !SessionOverrides.SETTABLE.contains(global)) {
            throw new ShowException(SqlState.CANT_CHANGE_RUNTIME_PARAM,
                    "parameter \"" + name + "\" cannot be changed with PGPOOL SET",
                    "PGPOOL SET can change " + SessionOverrides.SETTABLE.stream().map(Param::name)
                            .collect(Collectors.joining(", ")) + " for the session.");
        }
        return global;
    }

    private static Object parse(Param<?> p, String text) {
        try {
            return p.parseAndValidate(text);
        } catch (InvalidValueException e) {
            throw new ShowException(SqlState.INVALID_PARAMETER_VALUE,
                    "invalid value for parameter \"" + p.name() + "\": \"" + text + "\"", e.getMessage());
        }
    }
}
