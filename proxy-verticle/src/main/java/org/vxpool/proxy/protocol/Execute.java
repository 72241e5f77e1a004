package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/** Execute (F): runs portal {@code portal}, returning at most {@code maxRows} rows (0 = all). */
public record Execute(String portal, int maxRows) {

    public static Execute decode(Buffer body) {
        MessageReader r = new MessageReader(body, 0);
        return new Execute(r.cstring(), r.int32());
    }

    public Buffer encode() {
        return MessageBuilder.typed(PgProtocol.Frontend.EXECUTE).cstring(portal).int32(maxRows).build();
    }
}
