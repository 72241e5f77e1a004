package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/** Describe (F): asks for the description of statement ({@code 'S'}) or portal ({@code 'P'}) {@code name}. */
public record Describe(byte kind, String name) {

    public static Describe decode(Buffer body) {
        MessageReader r = new MessageReader(body, 0);
        return new Describe(r.int8(), r.cstring());
    }

    public Buffer encode() {
        return MessageBuilder.typed(PgProtocol.Frontend.DESCRIBE).int8(kind).cstring(name).build();
    }
}
