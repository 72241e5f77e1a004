package org.vxpool.proxy.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * StartupMessage (F): protocol version and the client's start-up parameters (user, database,
 * application_name, options, any GUC).
 */
public record StartupMessage(int protocolVersion, Map<String, String> parameters) {

    public StartupMessage {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public String user() {
        return parameters.get("user");
    }

    /** The database, which defaults to the user name as in PostgreSQL. */
    public String database() {
        String db = parameters.get("database");
        return db == null || db.isEmpty() ? user() : db;
    }

    public int majorVersion() {
        return protocolVersion >>> 16;
    }

    public int minorVersion() {
        return protocolVersion & 0xffff;
    }

    /** Parses a whole start-up packet (length word included). */
    public static StartupMessage decode(Buffer packet) {
        MessageReader r = new MessageReader(packet, 4);
        int version = r.int32();
        Map<String, String> params = new LinkedHashMap<>();
        while (true) {
            String name = r.cstring();
            if (name.isEmpty()) {
                break;
            }
            params.put(name, r.cstring());
        }
        if (r.remaining() != 0) {
            throw new PgProtocolException(SqlState.PROTOCOL_VIOLATION,
                    "invalid startup packet layout: expected terminator as last byte");
        }
        String user = params.get("user");
        if (user == null || user.isEmpty()) {
            throw new PgProtocolException(SqlState.INVALID_AUTHORIZATION,
                    "no PostgreSQL user name specified in startup packet");
        }
        return new StartupMessage(version, params);
    }

    public Buffer encode() {
        MessageBuilder b = MessageBuilder.untyped().int32(protocolVersion);
        parameters.forEach((k, v) -> b.cstring(k).cstring(v));
        return b.int8(0).build();
    }
}
