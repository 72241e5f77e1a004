package org.vxpool.proxy.show;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.vxpool.proxy.session.ClientSession;

/**
 * {@code SHOW pool_pools}, adapted: one row per backend connection a client session holds
 * (pgpool prints one per child and pool slot).
 */
final class PoolPools implements ShowCommand {

    @Override
    public Future<ShowResult> run(ShowContext ctx) {
        List<List<String>> rows = new ArrayList<>();
        for (ClientSession s : ctx.runtime().allSessions()) {
            for (int node : s.nodeIds()) {
                rows.add(List.of(Long.toString(s.id()), Integer.toString(node), s.user(), s.database(),
                        Boolean.toString(node == s.loadBalanceNode())));
            }
        }
        return Future.succeededFuture(new ShowResult(
                List.of("pool_pid", "backend_id", "username", "database", "load_balance_node"), rows));
    }
}
