package org.vxpool.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vxpool.proxy.pool.TransactionPool;
import org.vxpool.proxy.protocol.ParameterStatus;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.protocol.StartupMessage;

/**
 * What transaction pooling derives from start-up parameters is derived once per distinct set, and
 * equals what deriving it afresh gives; a welcome's frames are its ParameterStatus messages.
 */
class TxStartupTest {

    private static StartupMessage startup(String... kv) {
        Map<String, String> p = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        return new StartupMessage(PgProtocol.PROTOCOL_3_0, p);
    }

    @Test
    void equalParameterSetsShareOneDerivation() {
        TxStartup first = TxStartup.of(startup("user", "u1", "database", "db", "application_name", "pgbench"));
        TxStartup again = TxStartup.of(startup("user", "u1", "database", "db", "application_name", "pgbench"));
        TxStartup other = TxStartup.of(startup("user", "u1", "database", "db", "application_name", "psql"));

        assertThat(again).isSameAs(first);
        assertThat(other).isNotSameAs(first);
        assertThat(first.shape(0)).isNotEqualTo(other.shape(0)).isNotEqualTo(first.shape(1));
        assertThat(first.backendStartup().parameters())
                .containsExactly(Map.entry("user", "u1"), Map.entry("database", "db"), Map.entry("application_name", "pgbench"));
    }

    @Test
    void theKeptDerivationIsWhatTrackedSettingsGives() {
        StartupMessage s = startup("user", "u2", "database", "db", "options", "-c search_path=s1 -c TimeZone=UTC",
                "extra_float_digits", "3");
        TxStartup kept = TxStartup.of(s);

        assertThat(TxStartup.of(s)).isSameAs(kept);
        assertThat(kept.unsupported()).isNull();
        assertThat(kept.backendStartup()).isEqualTo(TrackedSettings.backendStartup(s));
        assertThat(kept.unreported()).isEqualTo(TrackedSettings.initialUnreported(s))
                .containsOnlyKeys("search_path", "extra_float_digits");
        assertThat(kept.backendStartup().parameters()).containsEntry("timezone", "UTC").doesNotContainKey("search_path");
    }

    @Test
    void aParameterThatCannotFollowTheClientIsNamed() {
        assertThat(TxStartup.of(startup("user", "u3", "replication", "database")).unsupported()).isEqualTo("replication");
        assertThat(TxStartup.of(startup("user", "u3", "options", "-c geqo=off")).unsupported()).isEqualTo("geqo");
        assertThat(TxStartup.of(startup("user", "u3", "options", "-c geqo=off")).unsupported())
                .isEqualTo(TrackedSettings.unsupportedStartupParameter(startup("user", "u3", "options", "-c geqo=off")));
    }

    @Test
    void aWelcomeIsEncodedOnceAsItsParameterStatusFrames() {
        Map<String, String> ps = new LinkedHashMap<>();
        ps.put("server_version", "15.18");
        ps.put("TimeZone", "UTC");
        ps.put("application_name", "");
        TransactionPool.Welcome w = TransactionPool.Welcome.of(ps);

        Buffer expected = Buffer.buffer();
        ps.forEach((k, v) -> expected.appendBuffer(new ParameterStatus(k, v).encode()));
        assertThat(w.frames()).isEqualTo(expected);
        assertThat(w.parameterStatus()).isEqualTo(ps);
    }
}
