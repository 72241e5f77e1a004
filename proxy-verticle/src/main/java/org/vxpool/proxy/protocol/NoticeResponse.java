package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/** NoticeResponse (B): a warning or notice, same fields as ErrorResponse. */
public record NoticeResponse(ErrorFields fields) {

    public static NoticeResponse decode(Buffer body) {
        return new NoticeResponse(ErrorFields.decode(body));
    }

    public Buffer encode() {
        return fields.encode(PgProtocol.Backend.NOTICE_RESPONSE);
    }
}
