package org.vxpool.proxy.show;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.vxpool.common.config.IndexedParam;
import org.vxpool.common.model.BackendNode;

/**
 * {@code SHOW pool_status}: pgpool's older form of {@code PGPOOL SHOW ALL}, item / value /
 * description for every parameter, with each backend's {@code backend_statusN} (from the cluster
 * view) after its {@code backend_*N} rows, as pgpool prints it.
 */
final class PoolStatus implements ShowCommand {

    @Override
    public Future<ShowResult> run(ShowContext ctx) {
        ConfigRows config = PgpoolShow.rows(ctx);
        List<List<String>> rows = new ArrayList<>();
        List<IndexedParam<?>> backend = ConfigRows.GROUPS.get("backend");
        for (int id : config.backendIds()) {
            for (IndexedParam<?> p : backend) {
                rows.add(config.row(p, id));
            }
            rows.add(List.of("backend_status" + id, status(ctx, id), "status of the backend: up, waiting, quarantine, down or unused"));
        }
        List<List<String>> all = config.all();
        // the rest of PGPOOL SHOW ALL: it begins with the backend group
        rows.addAll(all.subList(config.backendIds().size() * backend.size(), all.size()));
        return Future.succeededFuture(new ShowResult(PgpoolShow.DETAIL_COLUMNS, rows));
    }

    private static String status(ShowContext ctx, int id) {
        if (ctx.view() == null) {
            return "";
        }
        return ctx.view().nodes().stream().filter(n -> n.id() == id).findFirst()
                .map(BackendNode::status).map(s -> s.pgpoolName()).orElse("unused");
    }
}
