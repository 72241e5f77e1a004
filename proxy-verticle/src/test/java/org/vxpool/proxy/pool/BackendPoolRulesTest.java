package org.vxpool.proxy.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vxpool.proxy.auth.Md5Auth;
import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.proxy.protocol.PgProtocol;

class BackendPoolRulesTest {

    @Test
    void onlyNodeProblemsAreReportedAsBackendFailures() {
        assertThat(BackendPool.isBackendFailure(null)).isTrue();
        assertThat(BackendPool.isBackendFailure(ErrorResponse.fatal("57P01", "admin shutdown"))).isTrue();
        assertThat(BackendPool.isBackendFailure(ErrorResponse.fatal("58030", "io error"))).isTrue();
        assertThat(BackendPool.isBackendFailure(ErrorResponse.fatal("XX000", "internal"))).isTrue();
        assertThat(BackendPool.isBackendFailure(ErrorResponse.fatal("08P01", "invalid frontend message type 1"))).isFalse();
        assertThat(BackendPool.isBackendFailure(ErrorResponse.fatal("28P01", "password authentication failed"))).isFalse();
    }

    @Test
    void md5AnswerMatchesPostgres() {
        // md5(md5("secret" + "alice") + salt) computed independently (Python hashlib)
        String stored = Md5Auth.encrypt("secret", "alice");
        String answer = Md5Auth.saltedResponse(stored, new byte[] {1, 2, 3, 4});
        assertThat(answer).isEqualTo("md598a0412b9c31436fc53776e863350083");
        assertThat(answer).isNotEqualTo(Md5Auth.saltedResponse(stored, new byte[] {1, 2, 3, 5}));
    }

    @Test
    void transactionEndsOfResetQueryListRunOnlyInsideATransactionBlock() {
        List<String> list = List.of("ABORT", "DISCARD ALL", "rollback ;", "RESET ALL");
        assertThat(BackendPool.resetStatements(list, PgProtocol.TxStatus.IDLE)).containsExactly("DISCARD ALL", "RESET ALL");
        assertThat(BackendPool.resetStatements(list, PgProtocol.TxStatus.IN_TRANSACTION)).isEqualTo(list);
        assertThat(BackendPool.resetStatements(list, PgProtocol.TxStatus.FAILED)).isEqualTo(list);
        assertThat(BackendPool.resetStatements(List.of("ABORT"), PgProtocol.TxStatus.IDLE)).isEmpty();
        assertThat(BackendPool.resetStatements(List.of("ABORT_ALL_THE_THINGS()"), PgProtocol.TxStatus.IDLE)).hasSize(1);
    }
}
