package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/** ParameterStatus (B): the current value of a reported run-time parameter. */
public record ParameterStatus(String name, String value) {

    public static ParameterStatus decode(Buffer body) {
        MessageReader r = new MessageReader(body, 0);
        return new ParameterStatus(r.cstring(), r.cstring());
    }

    public Buffer encode() {
        return MessageBuilder.typed(PgProtocol.Backend.PARAMETER_STATUS).cstring(name).cstring(value).build();
    }
}
