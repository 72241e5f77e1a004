package org.vxpool.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vxpool.proxy.routing.Classification;
import org.vxpool.proxy.routing.SqlClassifier;
import org.vxpool.proxy.session.TxStatementPolicy.Action;

/**
 * The text screen that lets a non-balancing transaction-pooling session skip classification: a
 * table, and for every text it lets through, proof that the full policy would have passed it.
 */
class TxPolicyScreenTest {
    private static final SqlClassifier CLASSIFIER = SqlClassifier.defaults();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // pgbench's statements (TPC-B and -S, simple mode)
        "SELECT abalance FROM pgbench_accounts WHERE aid = 4711;                                 | true",
        "UPDATE pgbench_accounts SET abalance = abalance + -2310 WHERE aid = 4711;                | true",
        "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (1, 1, 4711, 5, CURRENT_TIMESTAMP); | true",
        "BEGIN;                                                                                  | true",
        "END;                                                                                    | true",
        "  commit                                                                                | true",
        "ROLLBACK                                                                                | true",
        "start transaction read only                                                             | true",
        "SELECT 1                                                                                | true",
        "select(1)                                                                               | true",
        "DELETE FROM t WHERE id = 3                                                              | true",
        "SAVEPOINT a                                                                             | true",
        "VALUES (1), (2)                                                                         | true",
        "SELECT 'it''s'; ;  ;                                                                    | true",
        // what the policy must see
        "SELECT 1; SELECT 2                                                                      | false",
        "BEGIN; SET search_path = a                                                              | false",
        "SET search_path = a                                                                     | false",
        "set application_name = 'x'                                                              | false",
        "RESET ALL                                                                               | false",
        "DISCARD ALL                                                                             | false",
        "DEALLOCATE ALL                                                                          | false",
        "PREPARE p AS SELECT 1                                                                   | false",
        "LISTEN chan                                                                             | false",
        "LOAD 'auto_explain'                                                                     | false",
        "SHOW pool_nodes                                                                         | false",
        "DECLARE c CURSOR WITH HOLD FOR SELECT 1                                                 | false",
        "CREATE TEMP TABLE t(x int)                                                              | false",
        "SELECT * INTO TEMP t FROM x                                                             | false",
        "select * into temporary t from x                                                        | false",
        "SELECT pg_advisory_lock(1)                                                              | false",
        "SELECT PG_TRY_ADVISORY_LOCK(1)                                                          | false",
        "SELECT set_config('work_mem', '8MB', false)                                             | false",
        "SELECT pg_catalog.SET_CONFIG('work_mem', '8MB', false)                                  | false",
        "SELECT U&\"\\0073et_config\"('work_mem', '8MB', false)                                  | false",
        "/* c */ SELECT 1                                                                        | false",
        "`-- c\nSELECT 1`                                                                        | false",
        "(SELECT 1)                                                                              | false",
        "WITH x AS (SELECT 1) SELECT * FROM x                                                    | false",
        "DO $$BEGIN PERFORM 1; END$$                                                             | false",
        "COPY t FROM STDIN                                                                       | false",
        "SELECT 'café'                                                                           | false",
        "SELECT pg_ADVISORY_lock(1)                                                              | false",
        "SELECT * INTO TeMp t FROM x                                                             | false",
        "SELECT 'te'                                                                             | true",
        "``                                                                                      | false"})
    void screen(String sql, boolean plain) {
        assertThat(TxPolicyScreen.plain(sql)).isEqualTo(plain);
        if (plain) {
            Classification c = CLASSIFIER.classify(sql);
            assertThat(c.statements()).hasSize(1);
            for (boolean inTransaction : new boolean[] {false, true}) {
                assertThat(TxStatementPolicy.judge(c.single(), inTransaction).action()).isEqualTo(Action.PASS);
            }
        }
    }
}
