package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/** Terminate (F): the client closes the session; no answer is sent. */
public final class Terminate {
    private Terminate() {
    }

    public static Buffer encode() {
        return MessageBuilder.typed(PgProtocol.Frontend.TERMINATE).build();
    }
}
