package org.vxpool.proxy.show;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.vxpool.common.model.BackendNode;

/** {@code SHOW pool_backend_stats}: per node, the SELECTs vxpool routed there. */
final class PoolBackendStats implements ShowCommand {

    @Override
    public Future<ShowResult> run(ShowContext ctx) {
        List<List<String>> rows = new ArrayList<>();
        if (ctx.view() != null) {
            for (BackendNode n : ctx.view().nodes()) {
                rows.add(List.of(Integer.toString(n.id()), n.host(), Integer.toString(n.port()), n.status().pgpoolName(),
                        n.role().word(), Long.toString(ctx.runtime().selectCount(n.id()))));
            }
        }
        return Future.succeededFuture(new ShowResult(
                List.of("node_id", "hostname", "port", "status", "role", "select_cnt"), rows));
    }
}
