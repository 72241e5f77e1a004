package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * NegotiateProtocolVersion (B): the server supports an older 3.x minor version than the client
 * asked for, and did not recognise the listed {@code _pq_.} protocol options.
 */
public record NegotiateProtocolVersion(int newestMinor, List<String> unrecognizedOptions) {

    public NegotiateProtocolVersion {
        unrecognizedOptions = List.copyOf(unrecognizedOptions);
    }

    public static NegotiateProtocolVersion decode(Buffer body) {
        MessageReader r = new MessageReader(body, 0);
        int minor = r.int32();
        int n = r.int32();
        List<String> opts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            opts.add(r.cstring());
        }
        return new NegotiateProtocolVersion(minor, opts);
    }

    public Buffer encode() {
        MessageBuilder b = MessageBuilder.typed(PgProtocol.Backend.NEGOTIATE_PROTOCOL_VERSION)
                .int32(newestMinor).int32(unrecognizedOptions.size());
        unrecognizedOptions.forEach(b::cstring);
        return b.build();
    }
}
