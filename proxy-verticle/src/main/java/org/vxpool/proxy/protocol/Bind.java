package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Bind (F): binds parameter values to statement {@code statement}, creating portal {@code portal}.
 *
 * @param parameters values as sent; a null element is SQL NULL
 */
public record Bind(String portal, String statement, List<Integer> parameterFormats, List<Buffer> parameters,
                   List<Integer> resultFormats) {

    public Bind {
        parameterFormats = List.copyOf(parameterFormats);
        parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
        resultFormats = List.copyOf(resultFormats);
    }

    public static Bind decode(Buffer body) {
        MessageReader r = new MessageReader(body, 0);
        String portal = r.cstring();
        String statement = r.cstring();
        List<Integer> formats = shorts(r);
        int n = r.int16() & 0xffff;
        List<Buffer> params = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = r.int32();
            params.add(len < 0 ? null : r.bytes(len));
        }
        return new Bind(portal, statement, formats, params, shorts(r));
    }

    private static List<Integer> shorts(MessageReader r) {
        int n = r.int16() & 0xffff;
        List<Integer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(r.int16());
        }
        return out;
    }

    public Buffer encode() {
        MessageBuilder b = MessageBuilder.typed(PgProtocol.Frontend.BIND).cstring(portal).cstring(statement)
                .int16(parameterFormats.size());
        parameterFormats.forEach(b::int16);
        b.int16(parameters.size());
        for (Buffer p : parameters) {
            if (p == null) {
                b.int32(-1);
            } else {
                b.int32(p.length()).bytes(p);
            }
        }
        b.int16(resultFormats.size());
        resultFormats.forEach(b::int16);
        return b.build();
    }
}
