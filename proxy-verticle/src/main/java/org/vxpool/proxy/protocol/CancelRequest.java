package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/** CancelRequest (F): sent on a new connection, names a session by its BackendKeyData. */
public record CancelRequest(int processId, int secretKey) {

    public static final int LENGTH = 16;

    /** Parses a whole start-up packet (length word included). */
    public static CancelRequest decode(Buffer packet) {
        if (packet.length() != LENGTH) {
            throw new PgProtocolException(SqlState.PROTOCOL_VIOLATION, "invalid length of cancel request packet");
        }
        return new CancelRequest(packet.getInt(8), packet.getInt(12));
    }

    public Buffer encode() {
        return MessageBuilder.untyped().int32(PgProtocol.CANCEL_REQUEST_CODE).int32(processId).int32(secretKey).build();
    }
}
