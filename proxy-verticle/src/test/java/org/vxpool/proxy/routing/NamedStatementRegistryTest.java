package org.vxpool.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamedStatementRegistryTest {

    private static final SqlClassifier CLASSIFIER = SqlClassifier.defaults();
    private final NamedStatementRegistry registry = new NamedStatementRegistry();

    private void parse(String name, String sql, Integer... oids) {
        registry.register(name, sql, List.of(oids), CLASSIFIER.classify(sql).single());
    }

    @Test
    void remembersTextTypesAndClassification() {
        parse("s1", "select * from t where id = $1", 23);
        NamedStatementRegistry.Entry e = registry.get("s1").orElseThrow();
        assertThat(e.text()).isEqualTo("select * from t where id = $1");
        assertThat(e.parameterTypes()).containsExactly(23);
        assertThat(e.classification().kind()).isEqualTo(StatementKind.READ);
        assertThat(registry.contains("s1")).isTrue();
        assertThat(registry.get("nope")).isEmpty();
    }

    @Test
    void needsPrepareOnEveryNodeUntilMarked() {
        parse("s1", "select 1");
        assertThat(registry.needsPrepareOn("s1", 0)).isTrue();
        assertThat(registry.needsPrepareOn("s1", 1)).isTrue();
        registry.markPrepared("s1", 1);
        assertThat(registry.needsPrepareOn("s1", 1)).isFalse();
        assertThat(registry.needsPrepareOn("s1", 0)).isTrue();
        assertThat(registry.nodesOf("s1")).containsExactly(1);
    }

    @Test
    void unknownStatementsNeedNothing() {
        assertThat(registry.needsPrepareOn("ghost", 0)).isFalse();
        assertThat(registry.closeEverywhere("ghost")).isEmpty();
        // a statement a DEALLOCATE ALL of its own batch forgot before the batch was sent
        registry.markPrepared("ghost", 0);
        assertThat(registry.contains("ghost")).isFalse();
    }

    @Test
    void aNewUnnamedStatementIsPreparedNowhere() {
        parse("", "select 1");
        registry.markPrepared("", 0);
        registry.markPrepared("", 1);
        parse("", "select 2");
        assertThat(registry.get("").orElseThrow().text()).isEqualTo("select 2");
        assertThat(registry.needsPrepareOn("", 0)).isTrue();
        assertThat(registry.needsPrepareOn("", 1)).isTrue();
    }

    @Test
    void aNamedStatementIsNotRedefined() {
        parse("s1", "select 1");
        registry.markPrepared("s1", 0);
        var existing = registry.register("s1", "select 2", List.of(), CLASSIFIER.classify("select 2").single());
        assertThat(existing).map(NamedStatementRegistry.Entry::text).contains("select 1");
        assertThat(registry.get("s1").orElseThrow().text()).isEqualTo("select 1");
        assertThat(registry.needsPrepareOn("s1", 0)).isFalse();
    }

    @Test
    void closeReturnsTheNodesThatHaveIt() {
        parse("s1", "select 1");
        registry.markPrepared("s1", 0);
        registry.markPrepared("s1", 2);
        assertThat(registry.closeEverywhere("s1")).containsExactlyInAnyOrder(0, 2);
        assertThat(registry.contains("s1")).isFalse();
        assertThat(registry.closeEverywhere("s1")).isEmpty();
        parse("s1", "select 3");
        assertThat(registry.needsPrepareOn("s1", 0)).as("a re-Parse after Close is new").isTrue();
    }

    @Test
    void deallocateAllForgetsEveryNamedStatement() {
        parse("a", "select 1");
        parse("b", "insert into t values (1)");
        parse("", "deallocate all");
        registry.markPrepared("a", 1);
        registry.markPrepared("b", 0);
        registry.markPrepared("", 2);
        assertThat(registry.deallocateAll()).containsExactlyInAnyOrder(0, 1);
        assertThat(registry.contains("a")).isFalse();
        assertThat(registry.contains("b")).isFalse();
        // the unnamed statement is not in PostgreSQL's table of prepared statements
        assertThat(registry.contains("")).isTrue();
        registry.markPrepared("", 0);
        assertThat(registry.deallocateAll()).isEmpty();
    }

    @Test
    void aLostBackendForgetsItsStatements() {
        parse("a", "select 1");
        registry.markPrepared("a", 0);
        registry.markPrepared("a", 1);
        registry.forgetNode(1);
        assertThat(registry.needsPrepareOn("a", 1)).isTrue();
        assertThat(registry.needsPrepareOn("a", 0)).isFalse();
    }
}
