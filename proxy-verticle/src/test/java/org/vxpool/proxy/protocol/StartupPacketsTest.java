package org.vxpool.proxy.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vxpool.proxy.protocol.StartupPackets.Kind;

class StartupPacketsTest {

    @Test
    void knownCodes() {
        assertThat(StartupPackets.classify(80877103)).isEqualTo(Kind.SSL_REQUEST);
        assertThat(StartupPackets.classify(80877104)).isEqualTo(Kind.GSSENC_REQUEST);
        assertThat(StartupPackets.classify(80877102)).isEqualTo(Kind.CANCEL_REQUEST);
        assertThat(StartupPackets.classify(196608)).isEqualTo(Kind.STARTUP);
        assertThat(StartupPackets.classify((3 << 16) | 2)).isEqualTo(Kind.STARTUP);
    }

    @Test
    void protocol2IsUnsupported() {
        assertThatThrownBy(() -> StartupPackets.classify(2 << 16))
                .isInstanceOf(PgProtocolException.class)
                .hasMessage("unsupported frontend protocol 2.0: server supports 3.0 to 3.0")
                .extracting(e -> ((PgProtocolException) e).sqlState()).isEqualTo("0A000");
    }

    @Test
    void garbageIsProtocolViolation() {
        assertThatThrownBy(() -> StartupPackets.classify(0x47455420))
                .isInstanceOf(PgProtocolException.class)
                .hasMessageContaining("unknown protocol version")
                .extracting(e -> ((PgProtocolException) e).sqlState()).isEqualTo("08P01");
    }
}
