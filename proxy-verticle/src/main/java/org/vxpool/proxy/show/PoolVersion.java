package org.vxpool.proxy.show;

import io.vertx.core.Future;
import java.util.List;

/** {@code SHOW pool_version}: one column, pool_version, as pgpool prints it. */
final class PoolVersion implements ShowCommand {
    static final String VERSION = "4.3.0 (vxpool)";

    @Override
    public Future<ShowResult> run(ShowContext ctx) {
        return Future.succeededFuture(new ShowResult(List.of("pool_version"), List.of(List.of(VERSION))));
    }
}
