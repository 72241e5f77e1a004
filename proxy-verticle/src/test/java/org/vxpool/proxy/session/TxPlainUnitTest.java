package org.vxpool.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vxpool.proxy.protocol.PgProtocol;
import org.vxpool.proxy.routing.ClassifiedStatement;
import org.vxpool.proxy.routing.StatementKind;

/** Which units may be pipelined behind another client's: a table of texts and of batch shapes. */
class TxPlainUnitTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "SELECT abalance FROM pgbench_accounts WHERE aid = 4711;       | true",
        "  select(1)                                                   | true",
        "VALUES (1), (2)                                               | true",
        "SELECT current_setting('search_path')                         | true",
        "SELECT 1; SELECT 2                                            | false",
        "BEGIN                                                         | false",
        "START TRANSACTION                                             | false",
        "INSERT INTO t VALUES (1)                                      | false",
        "UPDATE t SET a = 1                                            | false",
        "SELECT set_config('search_path', 'a', false)                  | false",
        "SELECT pg_advisory_lock(1)                                    | false",
        "SELECT * INTO TEMP t FROM x                                   | false",
        "SET search_path = a                                           | false",
        "LISTEN x                                                      | false",
        "selected                                                      | false",
        "/* c */ SELECT 1                                              | false",
    })
    void plainReads(String sql, boolean plain) {
        assertThat(TxPolicyScreen.plainRead(sql)).isEqualTo(plain);
        assertThat(TxPlainUnit.read(List.of(ClassifiedStatement.of(StatementKind.UNKNOWN, "test", sql)))).isEqualTo(plain);
        if (TxPolicyScreen.plain(sql)) {
            // a Parse's text the screen passed is judged on its first word alone: the same answer
            assertThat(TxPlainUnit.read(List.of(TxPolicyScreen.screened(sql)))).isEqualTo(plain);
        }
    }

    @Test
    void onlyTheScreensOwnStatementsSkipTheScan() {
        String reasonCopy = new String(TxPolicyScreen.screened("SELECT 1").reason());
        ClassifiedStatement lookalike = ClassifiedStatement.of(StatementKind.UNKNOWN, reasonCopy, "SELECT pg_advisory_lock(1)");
        assertThat(TxPolicyScreen.passed(lookalike)).isFalse();
        assertThat(TxPlainUnit.read(List.of(lookalike))).isFalse();
        assertThat(TxPolicyScreen.passed(TxPolicyScreen.screened("SELECT 1"))).isTrue();
    }

    @Test
    void onlyAReadClassificationOrNoneIsPlain() {
        String sql = "SELECT nextval('s')";
        assertThat(TxPlainUnit.read(List.of(ClassifiedStatement.of(StatementKind.READ, "test", sql)))).isTrue();
        assertThat(TxPlainUnit.read(List.of(ClassifiedStatement.of(StatementKind.WRITE, "test", sql)))).isFalse();
        assertThat(TxPlainUnit.read(List.of())).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "PBDES, true",
        "BES, true",
        "PBES, true",
        "BDES, true",
        "PS, false",
        "PBEBES, false",
        "PBEH, false",
        "PBESBES, false",
        "CBES, false",
        "BE, false",
    })
    void batchShapes(String types, boolean plain) {
        ExtendedBatch b = new ExtendedBatch();
        for (char t : types.toCharArray()) {
            b.add((byte) t, Buffer.buffer(new byte[] {(byte) t, 0, 0, 0, 4}), t == 'P' || t == 'B' ? "s" : null);
        }
        assertThat(TxPlainUnit.batch(b)).isEqualTo(plain);
    }

    @Test
    void aRedefinitionIsNotPlain() {
        ExtendedBatch b = new ExtendedBatch();
        b.add(PgProtocol.Frontend.PARSE, Buffer.buffer(new byte[] {'P', 0, 0, 0, 4}), null);
        b.add(PgProtocol.Frontend.BIND, Buffer.buffer(new byte[] {'B', 0, 0, 0, 4}), "s");
        b.add(PgProtocol.Frontend.EXECUTE, Buffer.buffer(new byte[] {'E', 0, 0, 0, 4}), null);
        b.add(PgProtocol.Frontend.SYNC, Buffer.buffer(new byte[] {'S', 0, 0, 0, 4}), null);
        assertThat(TxPlainUnit.batch(b)).isFalse();
    }
}
