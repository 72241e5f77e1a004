package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/** ReadyForQuery (B): the server waits for a new command; carries the transaction status I/T/E. */
public record ReadyForQuery(byte txStatus) {

    public static ReadyForQuery decode(Buffer body) {
        return new ReadyForQuery(new MessageReader(body, 0).int8());
    }

    public Buffer encode() {
        return MessageBuilder.typed(PgProtocol.Backend.READY_FOR_QUERY).int8(txStatus).build();
    }
}
