package org.vxpool.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** C strings are found in windows of bulk copies: the ends of the windows must not show. */
class MessageReaderTest {

    private static Buffer cstrings(String... parts) {
        Buffer b = Buffer.buffer();
        for (String p : parts) {
            b.appendString(p).appendByte((byte) 0);
        }
        return b;
    }

    @Test
    void stringsOfEveryLengthAroundTheWindowsAreReadWhole() {
        for (int len : new int[] {0, 1, 255, 256, 257, 1279, 1280, 1281, 70_000}) {
            String text = "x".repeat(len);
            MessageReader r = new MessageReader(cstrings(text, "", "after").appendInt(42), 0);
            assertThat(r.cstring()).as("length %d", len).isEqualTo(text);
            assertThat(r.cstring()).isEmpty();
            assertThat(r.cstring()).isEqualTo("after");
            assertThat(r.int32()).isEqualTo(42);
            assertThat(r.remaining()).isZero();
        }
    }

    @Test
    void multiByteCharactersAcrossAWindowEndDecodeAsUtf8() {
        String text = "a".repeat(255) + "é€𝄞" + "b".repeat(300);
        MessageReader r = new MessageReader(cstrings(text, "ü"), 0);
        assertThat(r.cstring()).isEqualTo(text);
        assertThat(r.cstring()).isEqualTo("ü");
    }

    @Test
    void aStringStartingInsideTheBufferIsReadFromThere() {
        Buffer b = Buffer.buffer().appendInt(7).appendBuffer(cstrings("select 1"));
        MessageReader r = new MessageReader(b, 4);
        assertThat(r.cstring()).isEqualTo("select 1");
        assertThat(r.remaining()).isZero();
    }

    @Test
    void aStringWithoutItsTerminatorIsAProtocolViolation() {
        for (int len : new int[] {1, 300, 5000}) {
            MessageReader r = new MessageReader(Buffer.buffer("y".repeat(len)), 0);
            assertThatThrownBy(r::cstring).isInstanceOf(PgProtocolException.class)
                    .extracting(e -> ((PgProtocolException) e).sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
        }
        assertThatThrownBy(new MessageReader(Buffer.buffer(), 0)::cstring).isInstanceOf(PgProtocolException.class);
    }

    @Test
    void aQueryEndsAtItsFirstNul() {
        Buffer body = Buffer.buffer().appendString("select 1").appendByte((byte) 0).appendString("; drop").appendByte((byte) 0);
        assertThat(Query.decode(body).sql()).isEqualTo("select 1");
        Buffer frame = new Query("select 2").encode();
        assertThat(Query.sql(frame)).isEqualTo("select 2");
        assertThat(Query.sql(Buffer.buffer("xx").appendBuffer(frame).slice(2, 2 + frame.length()))).isEqualTo("select 2");
    }
}
