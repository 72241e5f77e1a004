package org.vxpool.proxy.show;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.vxpool.common.model.BackendNode;

/**
 * {@code SHOW pool_backend_stats}: pgpool-II 4.3's 14 columns. The counts are the CommandCompletes
 * by command and the ErrorResponses by severity that this JVM's proxies relayed from each node
 * (docs/PROXY.md says what is counted and where it differs from pgpool).
 */
final class PoolBackendStats implements ShowCommand {
    static final List<String> COLUMNS = List.of("node_id", "hostname", "port", "status", "role", "select_cnt", "insert_cnt",
            "update_cnt", "delete_cnt", "ddl_cnt", "other_cnt", "panic_cnt", "fatal_cnt", "error_cnt");

    @Override
    public Future<ShowResult> run(ShowContext ctx) {
        List<List<String>> rows = new ArrayList<>();
        if (ctx.view() != null) {
            for (BackendNode n : ctx.view().nodes()) {
                List<String> row = new ArrayList<>(COLUMNS.size());
                row.add(Integer.toString(n.id()));
                row.add(n.host());
                row.add(Integer.toString(n.port()));
                row.add(n.status().pgpoolName());
                row.add(n.role().word());
                for (long count : ctx.runtime().backendCounts(n.id())) {
                    row.add(Long.toString(count));
                }
                rows.add(row);
            }
        }
        return Future.succeededFuture(new ShowResult(COLUMNS, rows));
    }
}
