package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * One message as typed code sees it: the type byte and the body after the length word. The relay
 * path never builds these; it forwards raw slices.
 */
public record Frame(byte type, Buffer body) {

    /** The frame as it travels on the wire. */
    public Buffer encode() {
        return MessageBuilder.typed(type).bytes(body).build();
    }
}
