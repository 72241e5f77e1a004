package org.vxpool.proxy.show;

import io.vertx.core.Future;

/** One {@code SHOW pool_*} command answered by vxpool. */
public interface ShowCommand {
    Future<ShowResult> run(ShowContext ctx);
}
