package org.vxpool.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LiteralShapeTest {

    private static final SqlClassifier CLASSIFIER = SqlClassifier.defaults();
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    @Test
    void pgbenchQueriesOfAnyAccountShareOneShape() {
        LiteralShape.Shape a = LiteralShape.of("SELECT abalance FROM pgbench_accounts WHERE aid = 4711;");
        LiteralShape.Shape b = LiteralShape.of("SELECT abalance FROM pgbench_accounts WHERE aid = 12;");
        assertThat(a).isNotNull();
        assertThat(a.key()).isEqualTo("SELECT abalance FROM pgbench_accounts WHERE aid = 0;").isEqualTo(b.key());
        assertThat(a.end()).isEqualTo("SELECT abalance FROM pgbench_accounts WHERE aid = 4711".length());
    }

    @Test
    void pgbenchTpcbStatementsHaveShapes() {
        for (String sql : List.of("UPDATE pgbench_accounts SET abalance = abalance + -2431 WHERE aid = 4711;",
                "SELECT abalance FROM pgbench_accounts WHERE aid = 4711;",
                "UPDATE pgbench_tellers SET tbalance = tbalance + -2431 WHERE tid = 7;",
                "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (7, 1, 4711, -2431, CURRENT_TIMESTAMP);",
                "delete from t where id = 1")) {
            assertThat(LiteralShape.of(sql)).as(sql).isNotNull();
        }
    }

    @Test
    void digitsOfNamesParametersStringsAndQuotedIdentifiersStay() {
        assertThat(LiteralShape.of("select c1, 2 from t2 where x = $3 and y = '4' and \"5\" = 6.75e10").key())
                .isEqualTo("select c1, 0 from t2 where x = $3 and y = '4' and \"5\" = 0.0e10");
        assertThat(LiteralShape.of("select 'it''s 9', \"a\"\"1\" from t where v = 9").key())
                .isEqualTo("select 'it''s 9', \"a\"\"1\" from t where v = 0");
    }

    /** Texts the screen must leave to the exact-text cache: the full classifier sees each one. */
    @ParameterizedTest
    @ValueSource(strings = {
        "select a from t",                          // no number: the exact text is the key
        "explain (analyze 0) delete from t where id = 1",
        "set default_transaction_read_only = 1",
        "begin isolation level serializable; select 1",
        "select 1; delete from t where id = 2",
        "select 1; select 2",
        "select (1; select 2)",                      // ; inside brackets: the lexer does not split there
        "select 1 -- ; delete from t",
        "select /* 2 */ 1",
        "/*NO LOAD BALANCE*/ select 1",
        "select $$ 1 $$",
        "select $tag$ insert into t values (1); $tag$",
        "select E'\\' 1 ; delete from t; '",
        "select U&'d\\0061t' , 1",
        "select 1 from tåble",
        "select 'unterminated 1",
        "select \"unterminated 1",
        "(select 1)",
        "selectx 1",
        "prepare p as select 1",
        "execute p(1)",
        "copy (select 1) to stdout",
        "show statement_timeout",
    })
    void defersToTheFullClassifier(String sql) {
        assertThat(LiteralShape.of(sql)).as(sql).isNull();
    }

    static Stream<String> corpus() {
        List<String> texts = new ArrayList<>();
        CaseFiles.rows("classifier-cases.tsv").forEach(r -> texts.add(r.col(1)));
        CaseFiles.rows("router-cases.tsv").forEach(r -> texts.add(r.col(1)));
        CaseFiles.rows("table-cases.tsv").forEach(r -> texts.add(r.col(0)));
        texts.addAll(List.of(
                "select * from \"1\" where id = 2",
                "select set_config('default_transaction_read_only', '1', false), 2",
                "select set_config('x', 'y', 1 = 1)",
                "select nextval('s1'), 5",
                "select * from t1 for update of t1 nowait limit 3",
                "with d as (delete from t where id = 4 returning *) select * from d",
                "select 1 into temp t2",
                "select 1e5, .5, 1.5e-3, 0x1F, 1_000, 2abc from t9",
                "values (1, 'a'), (2, 'b') order by 1;  ;",
                "  SELECT abalance FROM pgbench_accounts WHERE aid = 4711 ;\n",
                "select * from pg_catalog.pg_class where oid = 1259",
                "table t1",
                "insert into t1 (a, \"2\") select 3 from t4 returning 5",
                "update t set x = 1 from u2 where u2.id = t.id and t.v > 2.5",
                "delete from t9 using u where t9.id = u.id and u.n = 10",
                "insert into t values (nextval('s2'), 3) on conflict (id) do update set v = 4"));
        return texts.stream().filter(t -> DIGITS.matcher(t).find());
    }

    /**
     * The screen's promise: a text classified from the shape of another gets exactly what the
     * full classifier says of it, text included. Variants change every digit run, also those in
     * strings, names and comments, so a key that kept too little would show here.
     */
    @ParameterizedTest
    @MethodSource("corpus")
    void aTextOfAKnownShapeGetsTheFullClassifiersVerdict(String sql) {
        for (String digits : List.of("0", "7", "42", "31337")) {
            String variant = DIGITS.matcher(sql).replaceAll(Matcher.quoteReplacement(digits));
            ClassificationCache cache = new ClassificationCache(CLASSIFIER, 16);
            cache.classify(sql);
            assertThat(cache.classify(variant)).as(variant).isEqualTo(CLASSIFIER.classify(variant));
            cache.classify(variant);
            assertThat(cache.classify(sql)).as(sql).isEqualTo(CLASSIFIER.classify(sql));
        }
    }

    @Test
    void theCorpusReachesTheShapePath() {
        assertThat(corpus().filter(t -> LiteralShape.of(t) != null).count()).isGreaterThan(30);
    }

    @Test
    void primaryRoutingPatternsSeeEveryTextWhole() {
        SqlClassifier c = new SqlClassifier(List.of(), List.of(), List.of(Pattern.compile(".*aid = 1;?")));
        ClassificationCache cache = new ClassificationCache(c, 16);
        assertThat(cache.shapes()).isZero();
        assertThat(cache.classify("select * from t where aid = 2").single().kind()).isEqualTo(StatementKind.READ);
        assertThat(cache.classify("select * from t where aid = 1").single().kind()).isEqualTo(StatementKind.WRITE);
        assertThat(cache.classify("select * from t where aid = 3").single().kind()).isEqualTo(StatementKind.READ);
    }

    @Test
    void aShapeHitKeepsItsOwnStatementText() {
        ClassificationCache cache = new ClassificationCache(CLASSIFIER, 16);
        cache.classify("  select * from t where id = 1 ; ");
        Classification c = cache.classify("  select * from t where id = 22 ; ");
        assertThat(c.single().text()).isEqualTo("select * from t where id = 22");
        assertThat(cache.shapes()).isEqualTo(1);
        assertThat(cache.classify("  select * from t where id = 22 ; ")).isSameAs(c);
    }
}
