package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/** Query (F): a simple-protocol query string, possibly several statements or empty. */
public record Query(String sql) {

    public static Query decode(Buffer body) {
        return new Query(new MessageReader(body, 0).cstring());
    }

    /** The text of a whole Query frame (type byte and length word included), read in place. */
    public static String sql(Buffer frame) {
        return new MessageReader(frame, 5).cstring();
    }

    public Buffer encode() {
        return MessageBuilder.typed(PgProtocol.Frontend.QUERY).cstring(sql).build();
    }
}
