package org.vxpool.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SyntaxTest {

    private static final String BACKEND = "backend_hostname0 = 'db0'\n";

    private static PoolConfig parse(String text) {
        return PoolConfig.parse(BACKEND + text, "t.conf");
    }

    private static List<String> errors(String text) {
        return ConfigErrors.of(text, "t.conf");
    }

    @Test
    void equalsSignAndSpacesAreOptional() {
        assertThat(parse("port=1234").get(Params.PORT)).isEqualTo(1234);
        assertThat(parse("port 1235").get(Params.PORT)).isEqualTo(1235);
        assertThat(parse("   port\t=\t1236   ").get(Params.PORT)).isEqualTo(1236);
    }

    @Test
    void commentsAndBlankLinesAreIgnored() {
        PoolConfig c = parse("""
                # a comment line

                   # indented comment
                port = 7777   # trailing comment
                sr_check_user = 'a#b'  # hash inside quotes is data
                health_check_user = plain#comment right after a bare value
                """);
        assertThat(c.get(Params.PORT)).isEqualTo(7777);
        assertThat(c.get(Params.SR_CHECK_USER)).isEqualTo("a#b");
        assertThat(c.get(Params.HEALTH_CHECK_USER)).isEqualTo("plain");
    }

    @Test
    void quotedStringsResolveDoubledQuotesAndBackslashEscapes() {
        PoolConfig c = parse("""
                failover_command = 'echo ''%d'' done'
                failback_command = 'it\\'s\\ttab\\nnew\\\\back\\101'
                """);
        assertThat(c.get(Params.FAILOVER_COMMAND)).isEqualTo("echo '%d' done");
        assertThat(c.get(Params.FAILBACK_COMMAND)).isEqualTo("it's\ttab\nnew\\backA");
    }

    @Test
    void unquotedValuesAreWords() {
        PoolConfig c = parse("logdir = /var/log/vxpool\nlog_min_messages = DEBUG1\nlog_connections = on");
        assertThat(c.get(Params.LOGDIR)).isEqualTo("/var/log/vxpool");
        assertThat(c.get(Params.LOG_MIN_MESSAGES)).isEqualTo(LogLevel.DEBUG1);
        assertThat(c.get(Params.LOG_CONNECTIONS)).isTrue();
    }

    @Test
    void emptyQuotedStringIsEmpty() {
        assertThat(parse("failover_command = ''").get(Params.FAILOVER_COMMAND)).isEmpty();
    }

    @Test
    void namesAreCaseInsensitive() {
        PoolConfig c = parse("delegate_IP = '10.0.0.9'\nPORT = 5555");
        assertThat(c.get(Params.DELEGATE_IP)).isEqualTo("10.0.0.9");
        assertThat(c.get(Params.PORT)).isEqualTo(5555);
        assertThat(c.raw()).containsEntry("delegate_ip", "10.0.0.9");
    }

    @Test
    void windowsLineEndingsAreAccepted() {
        assertThat(parse("port = 1\r\nmax_pool = 2\r\n").get(Params.MAX_POOL)).isEqualTo(2);
    }

    @Test
    void aLeadingByteOrderMarkIsIgnored() {
        PoolConfig c = PoolConfig.parse("\uFEFF" + BACKEND + "port = 7\n", "t.conf");
        assertThat(c.get(Params.PORT)).isEqualTo(7);
        assertThat(c.backends().get(0).host()).isEqualTo("db0");
    }

    @Test
    void unterminatedQuoteIsAnErrorWithItsLine() {
        assertThat(errors(BACKEND + "port = 1\nfailover_command = 'never closed\n"))
                .containsExactly("t.conf:3: failover_command: unterminated quoted string");
    }

    @Test
    void textAfterTheValueIsAnError() {
        assertThat(errors(BACKEND + "failover_command = /bin/x %d %h\n"))
                .containsExactly("t.conf:2: failover_command: syntax error: unexpected '%d %h' after the value"
                        + " (quote values that contain spaces)");
        assertThat(errors(BACKEND + "port = '1' 2\n")).hasSize(1);
    }

    @Test
    void missingValueIsAnError() {
        assertThat(errors(BACKEND + "port =\n")).containsExactly("t.conf:2: port: syntax error: missing value");
        assertThat(errors(BACKEND + "port = # nothing\n")).hasSize(1);
    }

    @Test
    void lineWithoutNameIsAnError() {
        assertThat(errors(BACKEND + "= 5\n"))
                .containsExactly("t.conf:2: =: syntax error: parameter name expected");
    }

    @Test
    void duplicateKeyLastWinsWithWarning() {
        PoolConfig c = parse("port = 1\nport = 2\n");
        assertThat(c.get(Params.PORT)).isEqualTo(2);
        assertThat(c.warnings()).containsExactly("t.conf:3: port: set again (first set at line 2); the last value wins");
    }

    @Test
    void aliasAndCanonicalNameAreTheSameKey() {
        PoolConfig c = parse("follow_master_command = 'a'\nfollow_primary_command = 'b'\n");
        assertThat(c.get(Params.FOLLOW_PRIMARY_COMMAND)).isEqualTo("b");
        assertThat(c.warnings()).hasSize(1);
    }
}
