package org.vxpool.proxy.show;

import io.vertx.core.Future;

/** One {@code SHOW pool_*} or {@code PGPOOL} command answered by vxpool. */
public interface ShowCommand {
    Future<ShowResult> run(ShowContext ctx);

    /**
     * The answer's shape for an extended-protocol batch that describes the statement but does not
     * execute it; a command with an effect ({@code PGPOOL SET}) must not take effect here.
     */
    default Future<ShowResult> describe(ShowContext ctx) {
        return run(ctx);
    }
}
