package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * Authentication* (B): AuthenticationOk, CleartextPassword, MD5Password (data = 4-byte salt),
 * SASL (data = mechanism list), SASLContinue and SASLFinal (data = SASL payload).
 *
 * @param code one of {@link PgProtocol.Auth}
 */
public record Authentication(int code, Buffer data) {

    private static final Buffer OK = new Authentication(PgProtocol.Auth.OK, Buffer.buffer()).encode();

    public static Authentication decode(Buffer body) {
        MessageReader r = new MessageReader(body, 0);
        return new Authentication(r.int32(), r.rest());
    }

    /** AuthenticationOk, encoded; callers must not modify it. */
    public static Buffer ok() {
        return OK.copy();
    }

    public Buffer encode() {
        return MessageBuilder.typed(PgProtocol.Backend.AUTHENTICATION).int32(code).bytes(data).build();
    }
}
