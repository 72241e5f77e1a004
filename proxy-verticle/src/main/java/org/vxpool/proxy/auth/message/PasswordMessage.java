package org.vxpool.proxy.auth.message;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * PasswordMessage (F), type {@code 'p'}: a clear-text or md5-hashed password, NUL-terminated.
 * The same type byte also carries SASL messages; which one a {@code 'p'} is depends on the
 * request the server sent last.
 */
public record PasswordMessage(byte[] password) {
    public static final byte TYPE = 'p';

    public PasswordMessage {
        password = password.clone();
    }

    @Override
    public byte[] password() {
        return password.clone();
    }

    public Buffer encode() {
        return Buffer.buffer(6 + password.length).appendByte(TYPE).appendInt(5 + password.length)
                .appendBytes(password).appendByte((byte) 0);
    }

    /** Decodes the body; empty when it is not one NUL-terminated string. */
    public static java.util.Optional<PasswordMessage> decode(Buffer body) {
        byte[] b = body.getBytes();
        if (b.length == 0 || b[b.length - 1] != 0) {
            return java.util.Optional.empty();
        }
        byte[] pw = Arrays.copyOf(b, b.length - 1);
        for (byte x : pw) {
            if (x == 0) {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(new PasswordMessage(pw));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordMessage m && Arrays.equals(m.password, password);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(password);
    }

    @Override
    public String toString() {
        return "PasswordMessage[***]";
    }
}
