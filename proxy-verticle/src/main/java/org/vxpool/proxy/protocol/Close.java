package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/** Close (F): closes statement ({@code 'S'}) or portal ({@code 'P'}) {@code name}. */
public record Close(byte kind, String name) {

    public static Close decode(Buffer body) {
        MessageReader r = new MessageReader(body, 0);
        return new Close(r.int8(), r.cstring());
    }

    public Buffer encode() {
        return MessageBuilder.typed(PgProtocol.Frontend.CLOSE).int8(kind).cstring(name).build();
    }
}
