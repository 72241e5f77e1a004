package org.vxpool.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.vxpool.common.config.DisableLoadBalanceOnWrite;
import org.vxpool.common.config.PoolConfig;

/** Classification that depends on configuration: function lists, patterns, string syntax. */
class SqlClassifierSettingsTest {

    private static List<Pattern> patterns(String... p) {
        return RoutingSettings.patterns("test", List.of(p));
    }

    private static StatementKind kind(SqlClassifier c, String sql) {
        return c.classify(sql).single().kind();
    }

    @Test
    void writeFunctionListMakesMatchingCallsWrites() {
        SqlClassifier c = new SqlClassifier(patterns("set_.*", "update_.*", "public\\.f1"), List.of(), List.of());
        assertThat(kind(c, "select set_price(1)")).isEqualTo(StatementKind.WRITE);
        assertThat(kind(c, "select * from t where x = update_x()")).isEqualTo(StatementKind.WRITE);
        assertThat(kind(c, "select public.f1()")).isEqualTo(StatementKind.WRITE);
        assertThat(kind(c, "select f1()")).as("only the qualified name is listed").isEqualTo(StatementKind.READ);
        assertThat(kind(c, "select get_price(1)")).isEqualTo(StatementKind.READ);
        assertThat(kind(c, "select reset_x()")).as("anchored like pgpool").isEqualTo(StatementKind.READ);
        assertThat(kind(c, "select 'set_price(1)'")).isEqualTo(StatementKind.READ);
        assertThat(c.classify("select set_price(1)").single().reason()).contains("write_function_list");
    }

    @Test
    void readOnlyFunctionListMakesEveryOtherCallAWrite() {
        SqlClassifier c = new SqlClassifier(List.of(), patterns("get_.*", "count", "now"), List.of());
        assertThat(kind(c, "select get_price(1)")).isEqualTo(StatementKind.READ);
        assertThat(kind(c, "select count(*), now() from t")).isEqualTo(StatementKind.READ);
        assertThat(kind(c, "select 1")).isEqualTo(StatementKind.READ);
        assertThat(kind(c, "select max(x) from t")).isEqualTo(StatementKind.WRITE);
        assertThat(kind(c, "select x::numeric(10,2), cast(y as varchar(3)) from t")).as("type modifiers are not calls")
                .isEqualTo(StatementKind.READ);
        assertThat(kind(c, "select * from t where id in (1, 2) and exists (select 1)")).isEqualTo(StatementKind.READ);
        assertThat(kind(c, "with r(n) as (select 1) select * from r")).as("CTE column list")
                .isEqualTo(StatementKind.READ);
        assertThat(kind(c, "select * from t as a(x, y)")).as("alias column list").isEqualTo(StatementKind.READ);
        assertThat(kind(c, "select get_price(1)")).isEqualTo(StatementKind.READ);
        assertThat(kind(c, "select nextval('s')")).as("built-in writers always write").isEqualTo(StatementKind.WRITE);
    }

    @Test
    void primaryRoutingPatternsSendMatchingReadsToThePrimary() {
        SqlClassifier c = new SqlClassifier(List.of(), List.of(),
                patterns("SELECT \\* FROM table_name1\\;", ".*table_name3.*"));
        assertThat(kind(c, "SELECT * FROM table_name1;")).isEqualTo(StatementKind.WRITE);
        assertThat(kind(c, "select * from TABLE_NAME1")).as("case-insensitive, with or without ;")
                .isEqualTo(StatementKind.WRITE);
        assertThat(kind(c, "select a from table_name3 where x")).isEqualTo(StatementKind.WRITE);
        assertThat(kind(c, "select * from table_name2")).isEqualTo(StatementKind.READ);
        assertThat(c.classify("select a from table_name3").single().reason())
                .contains("primary_routing_query_pattern_list");
    }

    @Test
    void standardConformingStringsOffMakesBackslashEscapeQuotes() {
        SqlClassifier c = SqlClassifier.defaults();
        String sql = "select 'a\\'; delete from t; select 1'";
        assertThat(c.classify(sql, false).statements()).extracting(ClassifiedStatement::kind)
                .containsExactly(StatementKind.READ);
        assertThat(c.classify(sql, true).statements()).extracting(ClassifiedStatement::kind)
                .containsExactly(StatementKind.READ, StatementKind.WRITE, StatementKind.UNKNOWN);
    }

    @Test
    void transactionFlagsAreRead() {
        SqlClassifier c = SqlClassifier.defaults();
        ClassifiedStatement b = c.classify("begin transaction isolation level serializable, read only").single();
        assertThat(b.access()).isEqualTo(TxAccess.READ_ONLY);
        assertThat(b.isolation()).isEqualTo(Isolation.SERIALIZABLE);
        assertThat(c.classify("start transaction isolation level repeatable read").single().isolation())
                .isEqualTo(Isolation.REPEATABLE_READ);
        assertThat(c.classify("begin isolation level read uncommitted").single().isolation())
                .isEqualTo(Isolation.READ_UNCOMMITTED);
        assertThat(c.classify("begin read write").single().access()).isEqualTo(TxAccess.READ_WRITE);
        assertThat(c.classify("begin").single().access()).isEqualTo(TxAccess.UNSPECIFIED);
        assertThat(c.classify("commit and chain").single().chain()).isTrue();
        assertThat(c.classify("commit and no chain").single().chain()).isFalse();
        assertThat(c.classify("set default_transaction_read_only = 'on'").single().access())
                .isEqualTo(TxAccess.READ_ONLY);
        assertThat(c.classify("set default_transaction_read_only to default").single().access())
                .isEqualTo(TxAccess.READ_WRITE);
        assertThat(c.classify("show pool_nodes").single().name()).isEqualTo("pool_nodes");
        assertThat(c.classify("execute \"MyPlan\"(1)").single().name()).isEqualTo("MyPlan");
        assertThat(c.classify("PREPARE MyPlan AS select 1").single().name()).isEqualTo("myplan");
    }

    @Test
    void aParseHoldsOneStatement() {
        SqlClassifier c = SqlClassifier.defaults();
        assertThat(c.classifyParse("select $1").kind()).isEqualTo(StatementKind.READ);
        assertThat(c.classifyParse("insert into t values ($1)").kind()).isEqualTo(StatementKind.WRITE);
        assertThat(c.classifyParse("").kind()).isEqualTo(StatementKind.READ);
        assertThat(c.classifyParse("select 1; select 2").kind()).isEqualTo(StatementKind.UNKNOWN);
    }

    @Test
    void settingsComeFromPoolConfig() {
        PoolConfig config = PoolConfig.parse("""
                backend_hostname0 = 'db0'
                load_balance_mode = off
                disable_load_balance_on_write = 'always'
                statement_level_load_balance = on
                delay_threshold = 10000000
                prefer_lower_delay_standby = on
                write_function_list = 'nextval,set_.*'
                database_redirect_preference_list = 'postgres:primary,mydb[01]:1(0.3),mydb2:standby'
                app_name_redirect_preference_list = 'psql:primary'
                primary_routing_query_pattern_list = 'SELECT \\\\* FROM table_name1\\\\;;.*table_name3.*'
                """, "lb.conf");
        RoutingSettings s = RoutingSettings.from(config);
        assertThat(s.loadBalance()).isFalse();
        assertThat(s.writeMode()).isEqualTo(DisableLoadBalanceOnWrite.ALWAYS);
        assertThat(s.statementLevel()).isTrue();
        assertThat(s.delayThresholdBytes()).isEqualTo(10_000_000L);
        assertThat(s.preferLowerDelayStandby()).isTrue();
        assertThat(s.writeFunctions()).extracting(Pattern::pattern).containsExactly("nextval", "set_.*");
        assertThat(s.databaseRedirects()).hasSize(3);
        assertThat(s.appNameRedirects()).hasSize(1);
        assertThat(s.primaryRoutingPatterns()).extracting(Pattern::pattern)
                .containsExactly("SELECT \\* FROM table_name1\\;", ".*table_name3.*");
        SqlClassifier c = SqlClassifier.from(s);
        assertThat(kind(c, "SELECT * FROM table_name1;")).isEqualTo(StatementKind.WRITE);
    }

    @Test
    void defaultConfigGivesDefaultSettings() {
        RoutingSettings s = RoutingSettings.from(PoolConfig.parse("backend_hostname0 = 'db0'", "min.conf"));
        assertThat(s).usingRecursiveComparison().ignoringFieldsOfTypes(Pattern.class)
                .isEqualTo(RoutingSettings.defaults());
    }

    @Test
    void badRegularExpressionsNameTheKey() {
        assertThatThrownBy(() -> RoutingSettings.patterns("write_function_list", List.of("set_(")))
                .isInstanceOf(RoutingSettingsException.class)
                .hasMessageStartingWith("write_function_list: 'set_(': invalid regular expression");
    }

    @Test
    void bothFunctionListsAreRefused() {
        assertThatThrownBy(() -> new RoutingSettings(true, false, DisableLoadBalanceOnWrite.TRANSACTION, false, false,
                true, 0, 0, false, List.of(), List.of(), patterns("a"), patterns("b"), List.of()))
                .isInstanceOf(RoutingSettingsException.class).hasMessageContaining("only one of them");
    }

    @Test
    void escapedSemicolonsStayInsidePatterns() {
        assertThat(RoutingSettings.splitUnescaped("a\\;b;c;;d\\\\;"))
                .containsExactly("a\\;b", "c", "d\\\\");
    }
}
