package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/** Parse (F): prepares {@code query} as statement {@code name} ("" = unnamed) with parameter type OIDs. */
public record Parse(String name, String query, List<Integer> parameterTypes) {

    public Parse {
        parameterTypes = List.copyOf(parameterTypes);
    }

    public static Parse decode(Buffer body) {
        MessageReader r = new MessageReader(body, 0);
        String name = r.cstring();
        String query = r.cstring();
        int n = r.int16() & 0xffff;
        List<Integer> types = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            types.add(r.int32());
        }
        return new Parse(name, query, types);
    }

    public Buffer encode() {
        MessageBuilder b = MessageBuilder.typed(PgProtocol.Frontend.PARSE).cstring(name).cstring(query)
                .int16(parameterTypes.size());
        parameterTypes.forEach(b::int32);
        return b.build();
    }
}
