package org.vxpool.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SqlClassifierTableTest {

    private static final SqlClassifier CLASSIFIER = SqlClassifier.defaults();

    static Stream<CaseFiles.Row> classifierCases() {
        return CaseFiles.rows("classifier-cases.tsv").stream();
    }

    static Stream<CaseFiles.Row> tableCases() {
        return CaseFiles.rows("table-cases.tsv").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classifierCases")
    void classifiesEachStatement(CaseFiles.Row row) {
        List<String> expected = row.col(0).equals("-") ? List.of() : Arrays.asList(row.col(0).split(","));
        List<String> actual = CLASSIFIER.classify(row.col(1)).statements().stream()
                .map(s -> s.kind().name()).toList();
        assertThat(actual).as(row.toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tableCases")
    void extractsTables(CaseFiles.Row row) {
        ClassifiedStatement s = CLASSIFIER.classify(row.col(0)).single();
        assertThat(new TreeSet<>(s.writtenTables())).as("written, " + row).isEqualTo(names(row.col(1)));
        assertThat(new TreeSet<>(s.readTables())).as("read, " + row).isEqualTo(names(row.col(2)));
    }

    private static Set<String> names(String col) {
        return col.equals("-") ? Set.of() : new TreeSet<>(Arrays.asList(col.split(",")));
    }

    @Test
    void thereAreHundredsOfCases() {
        assertThat(CaseFiles.rows("classifier-cases.tsv")).hasSizeGreaterThan(300);
    }
}
