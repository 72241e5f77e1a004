package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/** BackendKeyData (B): the process id and secret a client needs to cancel its queries. */
public record BackendKeyData(int processId, int secretKey) {

    public static BackendKeyData decode(Buffer body) {
        MessageReader r = new MessageReader(body, 0);
        return new BackendKeyData(r.int32(), r.int32());
    }

    public Buffer encode() {
        return MessageBuilder.typed(PgProtocol.Backend.BACKEND_KEY_DATA).int32(processId).int32(secretKey).build();
    }
}
