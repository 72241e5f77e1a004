package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/** Sync (F): ends an extended-protocol batch; the server answers with ReadyForQuery. */
public final class Sync {
    private Sync() {
    }

    public static Buffer encode() {
        return MessageBuilder.typed(PgProtocol.Frontend.SYNC).build();
    }
}
