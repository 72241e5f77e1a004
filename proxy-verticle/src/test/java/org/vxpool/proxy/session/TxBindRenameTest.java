package org.vxpool.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vxpool.proxy.protocol.Bind;

/**
 * A client's Bind goes to the backend under vxpool's internal statement name, written straight
 * into the batch buffer: the result is the same Bind with only the name changed, after whatever
 * the buffer already held.
 */
class TxBindRenameTest {

    @ParameterizedTest(name = "portal \"{0}\", statement \"{1}\" -> \"{2}\"")
    @CsvSource(value = {
        "'',   S_1,  vx_1f",
        "p1,   S_12, vx_a",
        "'',   a,    vx_0123456789abcdef",
        "cur,  ü,    vx_7",
    })
    void onlyTheStatementNameChanges(String portal, String statement, String internal) {
        List<Buffer> params = Arrays.asList(Buffer.buffer("4711"), null, Buffer.buffer(new byte[] {0, 1, 2}));
        Bind client = new Bind(portal, statement, List.of(0, 0, 1), params, List.of(1));
        Buffer frame = client.encode();
        ByteBuf out = Unpooled.buffer();
        out.writeBytes(new byte[] {'X', 9});

        TxStatementWriter.appendRenamedBind(out, frame, internal);

        byte[] bytes = new byte[out.readableBytes()];
        out.getBytes(0, bytes);
        Buffer written = Buffer.buffer(bytes);
        assertThat(written.getBytes(0, 2)).containsExactly('X', 9);
        Buffer renamed = written.slice(2, written.length());
        assertThat(renamed).isEqualTo(new Bind(portal, internal, List.of(0, 0, 1), params, List.of(1)).encode());
        assertThat(Bind.decode(renamed.slice(5, renamed.length())).statement()).isEqualTo(internal);
    }
}
