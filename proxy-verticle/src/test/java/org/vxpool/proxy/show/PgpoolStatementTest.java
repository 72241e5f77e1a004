package org.vxpool.proxy.show;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vxpool.proxy.show.PgpoolStatement.Verb;

/** pgpool-II's PGPOOL SHOW/SET/RESET grammar, from SQL text to verb, name and value. */
class PgpoolStatementTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            PGPOOL SHOW port                                  | SHOW  | port                | NULL
            pgpool show ALL                                   | SHOW  | NULL                | NULL
            PGPOOL SHOW "delegate_IP"                         | SHOW  | delegate_IP         | NULL
            PGPOOL SHOW Delegate_IP                           | SHOW  | delegate_ip         | NULL
            /* c */ PGPOOL SHOW backend;                      | SHOW  | backend             | NULL
            PGPOOL SHOW "all"                                 | SHOW  | all                 | NULL
            PGPOOL SHOW "a""B"                                | SHOW  | a"B                 | NULL
            PGPOOL SHOW port ;                                | SHOW  | port                | NULL
            PGPOOL SHOW My.Custom_Param                       | SHOW  | my.custom_param     | NULL
            PGPOOL /* a /* nested */ b */ SHOW ALL -- c       | SHOW  | NULL                | NULL
            PGPOOL SET client_idle_limit = 350                | SET   | client_idle_limit   | 350
            PGPOOL SET client_idle_limit TO '5min'            | SET   | client_idle_limit   | 5min
            PGPOOL SET client_idle_limit TO DEFAULT           | SET   | client_idle_limit   | NULL
            PGPOOL SET log_min_messages TO INFO               | SET   | log_min_messages    | info
            PGPOOL SET write_function_list = 'a', b           | SET   | write_function_list | a, b
            PGPOOL SET delay_threshold = -1                   | SET   | delay_threshold     | -1
            PGPOOL SET delay_threshold=-1                     | SET   | delay_threshold     | -1
            PGPOOL SET delay_threshold TO +5                  | SET   | delay_threshold     | +5
            PGPOOL SET x = -0.5, -.5, 1e-3                    | SET   | x                   | -0.5, -.5, 1e-3
            PGPOOL SET client_idle_limit = 5MIN               | SET   | client_idle_limit   | 5MIN
            PGPOOL SET x = 'it''s'                            | SET   | x                   | it's
            PGPOOL SET x = 'a''''b'                           | SET   | x                   | a''b
            PGPOOL SET x = 'a -- b /* c */ ; d'               | SET   | x                   | a -- b /* c */ ; d
            PGPOOL SET x = "On", ON                           | SET   | x                   | On, on
            PGPOOL SET x = 'default'                          | SET   | x                   | default
            PGPOOL SET x = $$it's$$, $t$a$$b$t$               | SET   | x                   | it's, a$$b
            PGPOOL RESET client_idle_limit                    | RESET | client_idle_limit   | NULL
            PGPOOL RESET ALL                                  | RESET | NULL                | NULL
            """)
    void parses(String sql, Verb verb, String name, String value) {
        assertThat(PgpoolStatement.parse(sql)).isEqualTo(new PgpoolStatement(verb, name, value));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            PGPOOL SHOW                          | syntax error at end of input
            PGPOOL SHOW port extra               | syntax error at or near "extra"
            PGPOOL SET = 1                       | syntax error at or near "="
            PGPOOL SET client_idle_limit 5       | syntax error at or near "5"
            PGPOOL SET client_idle_limit =       | syntax error at end of input
            PGPOOL SET client_idle_limit = 1,    | syntax error at end of input
            PGPOOL SET x = 'open                 | unterminated quoted string
            PGPOOL RESET                         | syntax error at end of input
            PGPOOL LIST port                     | syntax error at or near "list"
            PGPOOL SET x = - 1                   | syntax error at or near "-"
            PGPOOL SET x == 1                    | syntax error at or near "="
            PGPOOL SET x = (1)                   | syntax error at or near "("
            PGPOOL SET x = E'on'                 | syntax error at or near "E'on'"
            PGPOOL SHOW a.                       | syntax error at or near "."
            PGPOOL SET x = a.b                   | syntax error at or near "."
            PGPOOL SHOW port @                   | syntax error at or near "@"
            PGPOOL SHOW port 'x'                 | syntax error at or near "x"
            PGPOOL SHOW "open                    | unterminated quoted identifier
            PGPOOL SHOW port; 'open              | unterminated quoted string
            PGPOOL SHOW port /* open             | unterminated /* comment or dollar-quoted string
            """)
    void rejectsWithSqlState42601(String sql, String message) {
        assertThatThrownBy(() -> PgpoolStatement.parse(sql)).isInstanceOf(ShowException.class)
                .hasMessage(message).extracting(e -> ((ShowException) e).sqlState()).isEqualTo("42601");
    }

    @Test
    void ignoresCommentsAndLineBreaksBetweenTokens() {
        assertThat(PgpoolStatement.parse("-- why\nPGPOOL /* a /* nested */ one */ SET\n\tclient_idle_limit -- to\n"
                + "= -- minus one\n-1;")).isEqualTo(new PgpoolStatement(Verb.SET, "client_idle_limit", "-1"));
    }

    @Test
    void unquotesStringsMadeOfQuotes() {
        assertThat(PgpoolStatement.parse("PGPOOL SET x = ''''").value()).isEqualTo("'");
        assertThat(PgpoolStatement.parse("PGPOOL SET x = ''").value()).isEmpty();
    }

    @Test
    void nothingButCommentsIsAnEmptyStatement() {
        assertThatThrownBy(() -> PgpoolStatement.parse(" /* */ ;")).hasMessage("syntax error at end of input");
    }
}
