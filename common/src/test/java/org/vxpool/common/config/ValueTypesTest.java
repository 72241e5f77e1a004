package org.vxpool.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

    @ParameterizedTest
    @CsvSource({"on,true", "off,false", "true,true", "false,false", "yes,true", "no,false", "1,true",
        "0,false", "ON,true", "Off,false", "TRUE,true", "t,true", "f,false", "y,true", "n,false", "of,false"})
    void booleans(String text, boolean expected) throws Exception {
        assertThat(ValueTypes.BOOLEAN.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"o", "2", "enable", "'  '", "onn"})
    void invalidBooleans(String text) {
        assertThatThrownBy(() -> ValueTypes.BOOLEAN.parse(text))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("invalid boolean");
    }

    @Test
    void portsOutOfRangeSaySo() {
        assertThatThrownBy(() -> ValueTypes.port().parse("70000"))
                .hasMessage("port 70000 out of range 1..65535");
        assertThatThrownBy(() -> ValueTypes.port().parse("0")).hasMessage("port 0 out of range 1..65535");
    }

    @Test
    void integersThatAreNot() {
        assertThatThrownBy(() -> ValueTypes.integer(0, 10, Unit.NONE).parse("1.5"))
                .hasMessage("invalid integer '1.5'");
        assertThatThrownBy(() -> ValueTypes.integer(0, 10, Unit.NONE).parse("ten"))
                .hasMessage("invalid integer 'ten'");
        assertThatThrownBy(() -> ValueTypes.integer(0, 10, Unit.NONE).parse("5s"))
                .hasMessage("unit 's' not allowed here (plain number expected)");
        assertThatThrownBy(() -> ValueTypes.integer(0, MAX, Unit.NONE).parse("99999999999999999999"))
                .hasMessageContaining("too large");
    }

    private static final int MAX = Integer.MAX_VALUE;

    @ParameterizedTest
    @CsvSource({"30,30", "30s,30", "5min,300", "5 min,300", "2h,7200", "1d,86400", "1500ms,2", "400ms,0"})
    void secondsWithUnits(String text, int expected) throws Exception {
        assertThat(ValueTypes.integer(0, MAX, Unit.SECONDS).parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"10000,10000", "10s,10000", "1min,60000", "250ms,250"})
    void millisecondsWithUnits(String text, int expected) throws Exception {
        assertThat(ValueTypes.integer(0, MAX, Unit.MILLISECONDS).parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"1024,1024", "1kB,1024", "16MB,16777216", "1GB,1073741824", "2mb,2097152"})
    void bytesWithUnits(String text, long expected) throws Exception {
        assertThat(ValueTypes.longInteger(0, Long.MAX_VALUE, Unit.BYTES).parse(text)).isEqualTo(expected);
    }

    @Test
    void unknownUnitListsValidOnes() {
        assertThatThrownBy(() -> ValueTypes.integer(0, MAX, Unit.SECONDS).parse("5 fortnights"))
                .hasMessage("unknown unit 'fortnights' (valid: ms, s, min, h, d)");
    }

    @Test
    void reals() throws Exception {
        ValueType<Double> t = ValueTypes.real(0, 100);
        assertThat(t.parse("0.5")).isEqualTo(0.5);
        assertThat(t.parse("1")).isEqualTo(1.0);
        assertThat(t.parse(".25")).isEqualTo(0.25);
        assertThat(t.parse("1e1")).isEqualTo(10.0);
        assertThatThrownBy(() -> t.parse("-1")).hasMessage("value -1 out of range 0..100");
        assertThatThrownBy(() -> t.parse("heavy")).hasMessage("invalid number 'heavy'");
    }

    @Test
    void lists() throws Exception {
        assertThat(ValueTypes.list(',').parse("a, b ,c,")).containsExactly("a", "b", "c");
        assertThat(ValueTypes.list(',').parse("")).isEmpty();
        assertThat(ValueTypes.list(';').parse("ABORT; RESET ALL; SET SESSION AUTHORIZATION DEFAULT"))
                .containsExactly("ABORT", "RESET ALL", "SET SESSION AUTHORIZATION DEFAULT");
    }

    @Test
    void enumsListAllowedValues() throws Exception {
        ValueType<DisableLoadBalanceOnWrite> t = ValueTypes.enumeration(DisableLoadBalanceOnWrite.class);
        assertThat(t.parse("DML_adaptive")).isEqualTo(DisableLoadBalanceOnWrite.DML_ADAPTIVE);
        assertThatThrownBy(() -> t.parse("sometimes")).hasMessage(
                "invalid value 'sometimes' (allowed: off, transaction, trans_transaction, always, dml_adaptive)");
    }

    @Test
    void backendFlags() throws Exception {
        assertThat(BackendFlag.TYPE.parse("ALLOW_TO_FAILOVER")).containsExactly(BackendFlag.ALLOW_TO_FAILOVER);
        assertThat(BackendFlag.TYPE.parse("DISALLOW_TO_FAILOVER|ALWAYS_MASTER"))
                .containsExactlyInAnyOrder(BackendFlag.DISALLOW_TO_FAILOVER, BackendFlag.ALWAYS_PRIMARY);
        assertThat(BackendFlag.TYPE.parse("always_primary"))
                .containsExactlyInAnyOrder(BackendFlag.ALLOW_TO_FAILOVER, BackendFlag.ALWAYS_PRIMARY);
        assertThatThrownBy(() -> BackendFlag.TYPE.parse("ALLOW_TO_FAILOVER|DISALLOW_TO_FAILOVER"))
                .hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> BackendFlag.TYPE.parse("MAYBE")).hasMessageStartingWith("invalid flag 'MAYBE'");
    }

    @Test
    void durationsUseTheParameterUnit() {
        PoolConfig c = PoolConfig.parse("backend_hostname0 = h\nconnect_timeout = 2s\nhealth_check_period = 1min\nhealth_check_user = u",
                "t.conf");
        assertThat(c.duration(Params.CONNECT_TIMEOUT)).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.duration(Params.HEALTH_CHECK_PERIOD)).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.duration(Params.HEALTH_CHECK_PERIOD_N, 0)).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.get(Params.RESET_QUERY_LIST)).isEqualTo(List.of("ABORT", "DISCARD ALL"));
    }
}
