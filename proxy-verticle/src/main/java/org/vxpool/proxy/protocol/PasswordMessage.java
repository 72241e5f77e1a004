package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * PasswordMessage / SASLInitialResponse / SASLResponse (F): they share type 'p', so the body is
 * kept raw and read by whoever asked for it.
 */
public record PasswordMessage(Buffer data) {

    public static PasswordMessage decode(Buffer body) {
        return new PasswordMessage(body.copy());
    }

    /** A PasswordMessage carrying a NUL-terminated password (cleartext or md5 hash). */
    public static PasswordMessage ofPassword(String password) {
        return new PasswordMessage(Buffer.buffer()
                .appendBytes(password.getBytes(StandardCharsets.UTF_8)).appendByte((byte) 0));
    }

    /** The password of a PasswordMessage. */
    public String password() {
        return new MessageReader(data, 0).cstring();
    }

    public Buffer encode() {
        return MessageBuilder.typed(PgProtocol.Frontend.PASSWORD).bytes(data).build();
    }
}
