package org.vxpool.proxy.session;

import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.proxy.protocol.MessageReader;
import org.vxpool.proxy.protocol.PgProtocol.Frontend;
import org.vxpool.proxy.protocol.PgProtocolException;

/**
 * pgpool-II's {@code log_client_messages}: one INFO line per message a client sends once it is
 * past start-up, worded as pgpool words it ({@code Parse message from frontend. statement: "",
 * query: "SELECT 1"}). Read only while the switch is on; a message too short for its fields is
 * logged as such, and the relay answers it as it answers any malformed message.
 */
final class ClientMessageLog {
    private static final Logger LOG = LoggerFactory.getLogger(ClientMessageLog.class);

    private ClientMessageLog() {
    }

    /** @param frame the whole message, type byte and length included */
    static void log(byte type, Buffer src, int start, int length) {
        LOG.info(line(type, src, start, length));
    }

    static String line(byte type, Buffer src, int start, int length) {
        try {
            return describe(type, new MessageReader(src.slice(start + 5, start + length), 0));
        } catch (PgProtocolException e) {
            return kind(type) + " message from frontend (malformed: " + e.getMessage() + ").";
        }
    }

    private static String describe(byte type, MessageReader body) {
        return switch (type) {
            case Frontend.QUERY -> "Query message from frontend. query: \"" + body.cstring() + "\"";
            case Frontend.PARSE -> {
                String statement = body.cstring();
                yield "Parse message from frontend. statement: \"" + statement + "\", query: \"" + body.cstring() + "\"";
            }
            case Frontend.BIND -> {
                String portal = body.cstring();
                yield "Bind message from frontend. portal: \"" + portal + "\", statement: \"" + body.cstring() + "\"";
            }
            case Frontend.EXECUTE -> "Execute message from frontend. portal: \"" + body.cstring() + "\"";
            case Frontend.DESCRIBE, Frontend.CLOSE -> {
                String what = body.int8() == 'S' ? "statement" : "portal";
                yield kind(type) + " message from frontend. " + what + ": \"" + body.cstring() + "\"";
            }
            default -> kind(type) + " message from frontend.";
        };
    }

    private static String kind(byte type) {
        return switch (type) {
            case Frontend.QUERY -> "Query";
            case Frontend.PARSE -> "Parse";
            case Frontend.BIND -> "Bind";
            case Frontend.EXECUTE -> "Execute";
            case Frontend.DESCRIBE -> "Describe";
            case Frontend.CLOSE -> "Close";
            case Frontend.SYNC -> "Sync";
            case Frontend.FLUSH -> "Flush";
            case Frontend.TERMINATE -> "Terminate";
            case Frontend.FUNCTION_CALL -> "FunctionCall";
            case Frontend.COPY_DATA -> "CopyData";
            case Frontend.COPY_DONE -> "CopyDone";
            case Frontend.COPY_FAIL -> "CopyFail";
            default -> "Unknown (type '" + (type >= 0x20 && type < 0x7f ? String.valueOf((char) type)
                    : String.format("\\x%02x", type & 0xff)) + "')";
        };
    }
}
