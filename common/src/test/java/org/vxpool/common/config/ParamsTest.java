package org.vxpool.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParamsTest {

    @Test
    void namesAreLowerCaseAndUnique() {
        Set<String> seen = new HashSet<>();
        for (Param<?> p : Params.all()) {
            assertThat(p.name()).isEqualTo(p.name().toLowerCase(Locale.ROOT));
            assertThat(seen.add(p.name())).as(p.name()).isTrue();
            assertThat(Params.byName(p.name())).containsSame(p);
            assertThat(Params.isUnsupported(p.name())).as(p.name()).isFalse();
            p.aliases().forEach(a -> assertThat(Params.byName(a)).containsSame(p));
        }
        for (IndexedParam<?> p : Params.allIndexed()) {
            assertThat(Params.indexedByName(p.name())).containsSame(p);
            assertThat(p.name()).doesNotMatch(".*\\d");
            p.aliases().forEach(a -> assertThat(Params.indexedByName(a)).containsSame(p));
        }
    }

    @Test
    void defaultsPassTheirOwnValidation() {
        for (Param<?> p : Params.all()) {
            String text = p.format(p.defaultValue());
            try {
                assertThat(p.parseAndValidate(text)).as(p.name()).isEqualTo(p.defaultValue());
            } catch (InvalidValueException e) {
                throw new AssertionError(p.name() + " default '" + text + "': " + e.getMessage());
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "follow_master_command, x, follow_primary_command",
        "fail_over_on_backend_error, off, failover_on_backend_error",
        "white_function_list, now, read_only_function_list",
        "black_function_list, nextval, write_function_list",
        "black_query_pattern_list, 'SELECT 1', primary_routing_query_pattern_list",
        "ifconfig_path, /sbin, if_cmd_path",
        "delegate_IP, 10.1.1.1, delegate_ip"})
    void aliasesSetTheCanonicalParameter(String alias, String value, String canonical) {
        PoolConfig c = PoolConfig.parse("backend_hostname0 = h\n" + alias + " = '" + value + "'\n", "a.conf");
        Param<?> p = Params.byName(canonical).orElseThrow();
        assertThat(c.isSet(p)).isTrue();
        assertThat(p.format(c.get(p))).isEqualTo(value);
        assertThat(c.raw()).containsEntry(canonical, value);
    }

    @Test
    void indexedAliasesSetTheCanonicalParameter() {
        PoolConfig c = PoolConfig.parse("""
                backend_hostname0 = h
                wd_heartbeat_port = 7000
                heartbeat_destination0 = 'peer'
                heartbeat_destination_port0 = 7001
                heartbeat_destination1 = 'peer2'
                """, "a.conf");
        assertThat(c.get(Params.HEARTBEAT_HOSTNAME, 0)).isEqualTo("peer");
        assertThat(c.get(Params.HEARTBEAT_PORT, 0)).isEqualTo(7001);
        // 3.x wd_heartbeat_port is the fallback of heartbeat_portN
        assertThat(c.get(Params.HEARTBEAT_PORT, 1)).isEqualTo(7000);
    }

    @Test
    void everyParameterHasAOneLineDescription() {
        for (Param<?> p : Params.all()) {
            assertThat(p.description()).as(p.name()).isNotBlank().doesNotContain("\n");
        }
        for (IndexedParam<?> p : Params.allIndexed()) {
            assertThat(p.description()).as(p.name() + "N").isNotBlank().doesNotContain("\n");
        }
        assertThat(Params.CLIENT_IDLE_LIMIT.description())
                .isEqualTo("seconds a client may stay idle between queries before it is disconnected");
        // indexed parameters have their own text, per-node overrides their global parameter's
        assertThat(Params.WD_PORT_N.description()).isEqualTo("watchdog port of member N");
        assertThat(Params.WD_PORT.description()).isEqualTo("3.x: this node's watchdog port");
        assertThat(Params.HEALTH_CHECK_PERIOD_N.description()).isEqualTo(Params.HEALTH_CHECK_PERIOD.description());
    }

    @Test
    void passwordsAndTheWatchdogKeyAreSecret() {
        assertThat(Params.all().stream().filter(Param::secret).map(Param::name)).containsExactlyInAnyOrder(
                "sr_check_password", "health_check_password", "recovery_password", "wd_authkey", "wd_lifecheck_password");
        assertThat(Params.HEALTH_CHECK_PASSWORD_N.secret()).isTrue();
        assertThat(Params.BACKEND_HOSTNAME.secret()).isFalse();
    }

    @Test
    void everyParameterIsDocumented() throws IOException {
        String doc = Files.readString(SampleConfigsTest.confDir().resolveSibling("docs").resolve("CONFIG.md"));
        for (Param<?> p : Params.all()) {
            assertThat(doc).as("docs/CONFIG.md row for " + p.name()).contains("| `" + p.name() + "` |");
        }
        for (IndexedParam<?> p : Params.allIndexed()) {
            assertThat(doc).as("docs/CONFIG.md row for " + p.name() + "N").contains("| `" + p.name() + "N` |");
        }
    }
}
