package org.vxpool.proxy.show;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import org.vxpool.common.config.IndexedParam;

/**
 * {@code PGPOOL SHOW name | group | ALL}: one parameter's value in a column named as the client
 * wrote it, or item / value / description rows for a group, an indexed parameter without index,
 * or everything.
 */
final class PgpoolShow implements ShowCommand {
    static final List<String> DETAIL_COLUMNS = List.of("item", "value", "description");

    private final PgpoolStatement statement;

    PgpoolShow(PgpoolStatement statement) {
        this.statement = statement;
    }

    @Override
    public Future<ShowResult> run(ShowContext ctx) {
        return Future.succeededFuture(result(rows(ctx)));
    }

    private ShowResult result(ConfigRows rows) {
        if (statement.all()) {
            return new ShowResult(DETAIL_COLUMNS, rows.all());
        }
        String name = statement.name();
        Optional<ParamName> p = ParamName.lookup(name);
        if (p.isPresent() && p.get().global() != null) {
            return single(name, rows.value(p.get().global()));
        }
        Optional<List<IndexedParam<?>>> group = ConfigRows.group(name);
        if (group.isPresent()) {
            return new ShowResult(DETAIL_COLUMNS, rows.group(group.get()));
        }
        if (p.isEmpty()) {
            throw ParamName.unknown(name);
        }
        ParamName n = p.get();
        return n.index() >= 0 ? single(name, rows.value(n.indexed(), n.index()))
                : new ShowResult(DETAIL_COLUMNS, rows.indexed(n.indexed()));
    }

    private static ShowResult single(String column, String value) {
        return new ShowResult(List.of(column), List.of(List.of(value)));
    }

    static ConfigRows rows(ShowContext ctx) {
        return new ConfigRows(ctx.config(), ctx.session() == null ? null : ctx.session().overrides(), ctx.view());
    }
}
