package org.vxpool.proxy.show;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.vxpool.proxy.session.ClientSession;

/**
 * {@code SHOW pool_processes}, adapted: vxpool has no child processes, so there is one row per
 * client session of this JVM (pool_pid is the session id).
 */
final class PoolProcesses implements ShowCommand {

    @Override
    public Future<ShowResult> run(ShowContext ctx) {
        List<List<String>> rows = new ArrayList<>();
        for (ClientSession s : ctx.runtime().allSessions()) {
            rows.add(List.of(Long.toString(s.id()), Long.toString(s.ageNanos() / 1_000_000_000L) + " s",
                    s.database(), s.user(), s.state().name().toLowerCase(java.util.Locale.ROOT),
                    Integer.toString(s.loadBalanceNode())));
        }
        return Future.succeededFuture(new ShowResult(
                List.of("pool_pid", "start_time", "database", "username", "status", "load_balance_node"), rows));
    }
}
