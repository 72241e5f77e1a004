package org.vxpool.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.vxpool.proxy.protocol.MessageBuilder;
import org.vxpool.proxy.protocol.PgProtocol.Frontend;

/** log_client_messages' wording per message type, the parts SessionLoggingTest's clients do not send. */
class ClientMessageLogTest {

    @Test
    void namedStatementsPortalsAndTheRest() {
        assertThat(describe(MessageBuilder.typed(Frontend.CLOSE).int8('S').cstring("s1").build()))
                .isEqualTo("Close message from frontend. statement: \"s1\"");
        assertThat(describe(MessageBuilder.typed(Frontend.DESCRIBE).int8('P').cstring("c1").build()))
                .isEqualTo("Describe message from frontend. portal: \"c1\"");
        assertThat(describe(MessageBuilder.typed(Frontend.BIND).cstring("c1").cstring("s1").int16(0).int16(0).int16(0).build()))
                .isEqualTo("Bind message from frontend. portal: \"c1\", statement: \"s1\"");
        assertThat(describe(MessageBuilder.typed(Frontend.FUNCTION_CALL).int32(1598).int16(0).int16(0).int16(0).build()))
                .isEqualTo("FunctionCall message from frontend.");
        assertThat(describe(MessageBuilder.typed(Frontend.COPY_DATA).cstring("1\tsecret row").build()))
                .as("COPY rows are not logged").isEqualTo("CopyData message from frontend.");
        assertThat(describe(MessageBuilder.typed(Frontend.FLUSH).build())).isEqualTo("Flush message from frontend.");
    }

    @Test
    void aMessageTooShortForItsFieldsIsSaidToBeMalformed() {
        // the relay answers the malformed message itself; the log only says what it saw
        assertThat(describe(MessageBuilder.typed(Frontend.PARSE).bytes(Buffer.buffer("s1")).build()))
                .isEqualTo("Parse message from frontend (malformed: invalid string in message).");
        assertThat(describe(MessageBuilder.typed((byte) 0x01).build())).isEqualTo("Unknown (type '\\x01') message from frontend.");
    }

    private static String describe(Buffer frame) {
        return ClientMessageLog.line(frame.getByte(0), frame, 0, frame.length());
    }
}
