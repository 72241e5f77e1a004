package org.vxpool.proxy.auth.message;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.vxpool.proxy.protocol.MessageBuilder;
import org.vxpool.proxy.protocol.PgProtocol;

/**
 * SASLInitialResponse (F), type {@code 'p'}: the chosen mechanism and the client-first-message.
 * A length of -1 means "no initial response"; {@code data} is then null.
 */
public record SaslInitialResponse(String mechanism, byte[] data) {
    public SaslInitialResponse {
        data = data == null ? null : data.clone();
    }

    @Override
    public byte[] data() {
        return data == null ? null : data.clone();
    }

    public Buffer encode() {
        MessageBuilder b = MessageBuilder.typed(PgProtocol.Frontend.PASSWORD).cstring(mechanism)
                .int32(data == null ? -1 : data.length);
        return (data == null ? b : b.bytes(Buffer.buffer(data))).build();
    }

    /** Decodes the body; empty when it is malformed. */
    public static Optional<SaslInitialResponse> decode(Buffer body) {
        byte[] b = body.getBytes();
        int nul = 0;
        while (nul < b.length && b[nul] != 0) {
            nul++;
        }
        if (nul >= b.length || b.length - nul - 1 < 4) {
            return Optional.empty();
        }
        String mechanism = new String(b, 0, nul, StandardCharsets.UTF_8);
        int length = body.getInt(nul + 1);
        int dataStart = nul + 5;
        if (length == -1 && dataStart == b.length) {
            return Optional.of(new SaslInitialResponse(mechanism, null));
        }
        if (length < 0 || dataStart + length != b.length) {
            return Optional.empty();
        }
        return Optional.of(new SaslInitialResponse(mechanism, Arrays.copyOfRange(b, dataStart, b.length)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SaslInitialResponse r && r.mechanism.equals(mechanism)
                && Arrays.equals(r.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * mechanism.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "SaslInitialResponse[" + mechanism + "]";
    }
}
