package org.vxpool.proxy.auth.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vxpool.proxy.auth.AuthException;

class AuthMessagesTest {

    static List<AuthenticationRequest> requests() {
        return List.of(new AuthenticationRequest.Ok(), new AuthenticationRequest.CleartextPassword(),
                new AuthenticationRequest.Md5Password(new byte[] {1, 2, 3, 4}),
                new AuthenticationRequest.Sasl(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256")),
                new AuthenticationRequest.SaslContinue("r=abc,s=c2FsdA==,i=4096".getBytes(StandardCharsets.US_ASCII)),
                new AuthenticationRequest.SaslFinal("v=abc=".getBytes(StandardCharsets.US_ASCII)));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void authenticationRequestRoundTrips(AuthenticationRequest r) throws Exception {
        Buffer frame = r.encode();
        assertThat(frame.getByte(0)).isEqualTo((byte) 'R');
        assertThat(frame.getInt(1)).isEqualTo(frame.length() - 1);
        AuthenticationRequest back = AuthenticationRequest.decode(frame.slice(5, frame.length()));
        assertThat(back.getClass()).isEqualTo(r.getClass());
        assertThat(back.encode()).isEqualTo(frame);
    }

    @Test
    void wireBytesMatchTheProtocolDocumentation() {
        assertThat(new AuthenticationRequest.Ok().encode().getBytes()).containsExactly('R', 0, 0, 0, 8, 0, 0, 0, 0);
        assertThat(new AuthenticationRequest.Sasl(List.of("SCRAM-SHA-256")).encode().toString(StandardCharsets.ISO_8859_1))
                .isEqualTo("R\0\0\0\u0017\0\0\0\nSCRAM-SHA-256\0\0");
    }

    @Test
    void malformedRequestsAreRefused() {
        assertThatThrownBy(() -> AuthenticationRequest.decode(Buffer.buffer(new byte[] {0, 0})))
                .isInstanceOf(AuthException.class);
        assertThatThrownBy(() -> AuthenticationRequest.decode(Buffer.buffer().appendInt(5).appendBytes(new byte[3])))
                .isInstanceOf(AuthException.class).hasMessageContaining("3-byte salt");
        assertThatThrownBy(() -> AuthenticationRequest.decode(Buffer.buffer().appendInt(10).appendString("SCRAM")))
                .isInstanceOf(AuthException.class).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> AuthenticationRequest.decode(Buffer.buffer().appendInt(7)))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.sqlState()).isEqualTo("0A000"));
    }

    @Test
    void frontendMessagesRoundTrip() {
        SaslInitialResponse i = new SaslInitialResponse("SCRAM-SHA-256", "n,,n=,r=x".getBytes(StandardCharsets.US_ASCII));
        assertThat(SaslInitialResponse.decode(body(i.encode()))).contains(i);
        SaslInitialResponse none = new SaslInitialResponse("SCRAM-SHA-256", null);
        assertThat(SaslInitialResponse.decode(body(none.encode()))).contains(none);
        SaslResponse s = new SaslResponse("c=biws".getBytes(StandardCharsets.US_ASCII));
        assertThat(SaslResponse.decode(body(s.encode()))).isEqualTo(s);
    }

    @Test
    void malformedFrontendMessagesAreEmpty() {
        assertThat(SaslInitialResponse.decode(Buffer.buffer("SCRAM-SHA-256"))).isEmpty();
        assertThat(SaslInitialResponse.decode(Buffer.buffer("M\0").appendInt(10).appendString("short"))).isEmpty();
        assertThat(SaslInitialResponse.decode(Buffer.buffer("M\0").appendInt(-2))).isEmpty();
    }

    private static Buffer body(Buffer frame) {
        return frame.slice(5, frame.length());
    }
}
