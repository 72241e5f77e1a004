package org.vxpool.proxy.auth.message;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import org.vxpool.proxy.protocol.PasswordMessage;

/** SASLResponse (F), type {@code 'p'}: a SCRAM client-final-message, the whole body. */
public record SaslResponse(byte[] data) {
    public SaslResponse {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public Buffer encode() {
        return new PasswordMessage(Buffer.buffer(data)).encode();
    }

    public static SaslResponse decode(Buffer body) {
        return new SaslResponse(body.getBytes());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SaslResponse r && Arrays.equals(r.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "SaslResponse[" + data.length + " bytes]";
    }
}
