package org.vxpool.proxy.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionParamsTest {

    private static SessionParams of(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return SessionParams.of(m);
    }

    @Test
    void optionsAreExpandedAndIdentityKeysDropped() {
        SessionParams p = of("user", "u", "database", "d", "application_name", "app", "DateStyle", "ISO",
                "options", "-c search_path=a,b --statement-timeout=5s -cwork_mem=8MB -c x.y=has\\ space",
                "_pq_.foo", "1");
        assertThat(p.gucs()).containsExactly(
                Map.entry("application_name", "app"), Map.entry("datestyle", "ISO"),
                Map.entry("search_path", "a,b"), Map.entry("statement_timeout", "5s"),
                Map.entry("work_mem", "8MB"), Map.entry("x.y", "has space"));
        assertThat(p.unparsedOptions()).isNull();
    }

    @Test
    void unparseableOptionsAreComparedVerbatim() {
        SessionParams p = of("options", "-e");
        assertThat(p.unparsedOptions()).isEqualTo("-e");
        assertThat(p).isEqualTo(of("options", "-e")).isNotEqualTo(of());
    }

    @Test
    void equalWhenEveryValueIsEqualInAnyOrder() {
        SessionParams pooled = of("application_name", "a", "client_encoding", "UTF8");
        assertThat(pooled).isEqualTo(of("client_encoding", "UTF8", "application_name", "a"));
        assertThat(pooled).isNotEqualTo(of("application_name", "b", "client_encoding", "UTF8"));
        assertThat(pooled).isNotEqualTo(of("application_name", "a", "client_encoding", "UTF8", "TimeZone", "UTC"));
    }

    @Test
    void setConfigQuotesValues() {
        assertThat(SessionParams.setConfigStatement(Map.of("application_name", "it's")))
                .isEqualTo("SELECT pg_catalog.set_config('application_name', 'it''s', false)");
    }
}
