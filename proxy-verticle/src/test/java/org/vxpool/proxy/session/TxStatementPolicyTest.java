package org.vxpool.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vxpool.proxy.routing.SqlClassifier;
import org.vxpool.proxy.session.TxStatementPolicy.Action;
import org.vxpool.proxy.session.TxStatementPolicy.Verdict;

/** What transaction pooling does with statements whose effect outlives their transaction: a table. */
class TxStatementPolicyTest {
    private static final SqlClassifier CLASSIFIER = SqlClassifier.defaults();

    @ParameterizedTest(name = "{0} (in transaction: {1}) -> {2}")
    @CsvSource(delimiter = '|', value = {
        "SELECT 1                                          | false | PASS",
        "SET application_name = 'x'                        | false | PASS",
        "SET application_name = 'x'                        | true  | PASS",
        "SET TIME ZONE 'UTC'                               | false | PASS",
        "SET LOCAL work_mem = '8MB'                        | true  | PASS",
        "SET search_path = a, b                            | false | TRACK",
        "set session statement_timeout to '5s'             | false | TRACK",
        "/* c */ SET extra_float_digits = 3                | false | TRACK",
        "SET SCHEMA 'app'                                  | false | TRACK",
        "RESET search_path                                 | false | TRACK",
        "SET search_path = a                               | true  | REFUSE",
        "SET enable_seqscan = off                          | false | REFUSE",
        "SET ROLE postgres                                 | false | REFUSE",
        "SET SESSION AUTHORIZATION postgres                | false | REFUSE",
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY | false | PASS",
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY | true  | PASS",
        "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE | false | TRACK",
        "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE | true  | REFUSE",
        "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY | false | TRACK",
        "SET SESSION CHARACTERISTICS AS TRANSACTION NOT DEFERRABLE | false | TRACK",
        "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE DEFERRABLE | false | REFUSE",
        "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SNAPSHOT | false | REFUSE",
        "SET default_transaction_isolation = 'repeatable read' | false | TRACK",
        "RESET default_transaction_isolation               | false | TRACK",
        "RESET ALL                                         | false | RESET_ALL",
        "RESET ALL                                         | true  | REFUSE",
        "DISCARD ALL                                       | false | RESET_ALL",
        "DISCARD PLANS                                     | false | PASS",
        "DEALLOCATE ALL                                    | false | DEALLOCATE_ALL",
        "DEALLOCATE s1                                     | false | DEALLOCATE",
        "PREPARE p AS SELECT 1                             | false | REFUSE",
        "LISTEN chan                                       | false | REFUSE",
        "SELECT pg_advisory_lock(1)                        | false | REFUSE",
        "SELECT pg_try_advisory_lock_shared(1)             | true  | REFUSE",
        "SELECT pg_advisory_unlock_all()                   | false | REFUSE",
        "SELECT pg_advisory_xact_lock(1)                   | true  | PASS",
        "CREATE TEMP TABLE t(x int)                        | false | REFUSE",
        "CREATE TEMP TABLE t(x int)                        | true  | REFUSE",
        "CREATE TEMP TABLE t(x int) ON COMMIT DROP         | true  | PASS",
        "DECLARE c CURSOR WITH HOLD FOR SELECT 1           | true  | REFUSE",
        "DECLARE c CURSOR FOR SELECT 1                     | true  | PASS",
        "SELECT set_config('work_mem', '8MB', false)       | false | REFUSE",
        "SELECT set_config('work_mem', '8MB', true)        | true  | PASS"})
    void verdicts(String sql, boolean inTransaction, Action expected) {
        Verdict v = TxStatementPolicy.judge(CLASSIFIER.classify(sql).single(), inTransaction);
        assertThat(v.action()).isEqualTo(expected);
        if (expected == Action.REFUSE) {
            assertThat(v.message()).endsWith("is not supported with pool_mode = transaction");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SET search_path = a, b      | search_path        | SET search_path = a, b",
        "SET search_path TO 'x y';   | search_path        | SET search_path TO 'x y'",
        "RESET statement_timeout     | statement_timeout  | ",
        "SET SCHEMA 'app'            | search_path        | SET SCHEMA 'app'",
        "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE  READ | default_transaction_isolation | SET default_transaction_isolation = 'repeatable read'",
        "set session characteristics as transaction read write, isolation level serializable; | default_transaction_isolation | SET default_transaction_isolation = 'serializable'",
        "SET SESSION CHARACTERISTICS AS TRANSACTION DEFERRABLE | default_transaction_deferrable | SET default_transaction_deferrable = on",
        "SET SESSION CHARACTERISTICS AS TRANSACTION NOT DEFERRABLE | default_transaction_deferrable | SET default_transaction_deferrable = off"})
    void trackedStatementsKeepTheirText(String sql, String name, String statement) {
        Verdict v = TxStatementPolicy.judge(CLASSIFIER.classify(sql).single(), false);
        assertThat(v.name()).isEqualTo(name);
        assertThat(v.statement()).isEqualTo(statement);
    }
}
