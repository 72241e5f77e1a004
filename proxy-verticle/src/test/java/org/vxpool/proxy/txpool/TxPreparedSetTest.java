package org.vxpool.proxy.txpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vxpool.proxy.txpool.TxFixture.connect;
import static org.vxpool.proxy.txpool.TxFixture.value;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/**
 * A SET run through a server-prepared statement that the driver executes again (JDBC with
 * {@code prepareThreshold=1}: Parse once, then only Bind and Execute). Until the txaudit8 audit
 * only the Parse was judged, so a second run was neither tracked nor refused: the shared
 * connection kept the value for the next client, and a SET inside a transaction went through.
 * Two clients share the only pooled connection. Also a SET pipelined right behind a BEGIN.
 */
class TxPreparedSetTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder());
    @TempDir
    static Path dir;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = TxFixture.start(PG.cluster(), dir, "default_pool_size = 1\n");
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aPreparedSetRunAgainIsTrackedAndNeverReachesAnotherClient() throws Exception {
        try (Connection x = connect(proxy, PG.cluster(), "prepareThreshold", "1");
                Connection y = connect(proxy, PG.cluster());
                PreparedStatement set = x.prepareStatement("SET work_mem = '7MB'")) {
            String initial = value(y, "SHOW work_mem");
            set.execute();
            try (Statement st = x.createStatement()) {
                st.execute("RESET work_mem");
            }
            assertThat(value(x, "SHOW work_mem")).isEqualTo(initial);
            // the driver binds its statement S_1 without a Parse now
            set.execute();
            for (int round = 0; round < 3; round++) {
                assertThat(value(y, "SHOW work_mem")).as("the other client, round %d", round).isEqualTo(initial);
                assertThat(value(x, "SHOW work_mem")).as("the client that set it, round %d", round).isEqualTo("7MB");
            }
        }
    }

    @Test
    void aPreparedSetRunAgainInsideATransactionIsRefusedAsTheFirstRunWouldBe() throws Exception {
        try (Connection x = connect(proxy, PG.cluster(), "prepareThreshold", "1");
                Connection y = connect(proxy, PG.cluster());
                PreparedStatement set = x.prepareStatement("SET lock_timeout = '7s'")) {
            set.execute();
            try (Statement st = x.createStatement()) {
                st.execute("RESET lock_timeout");
            }
            x.setAutoCommit(false);
            value(x, "SELECT 1");
            assertThatThrownBy(set::execute).isInstanceOf(SQLException.class)
                    .hasMessageContaining("inside a transaction block")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("0A000");
            x.rollback();
            x.setAutoCommit(true);
            assertThat(value(x, "SHOW lock_timeout")).isEqualTo("0");
            assertThat(value(y, "SHOW lock_timeout")).isEqualTo("0");
        }
    }

    /**
     * JDBC with autocommit off sends its BEGIN as a Query with the first statement right behind
     * it. Whether the answer to BEGIN had come back when vxpool read the SET decided whether the
     * SET was refused or tracked (and then kept after a rollback): it is always inside now.
     */
    @Test
    void aSetRightBehindJdbcsBeginIsJudgedInsideTheTransactionEveryTime() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (Connection x = connect(proxy, PG.cluster())) {
                x.setAutoCommit(false);
                assertThatThrownBy(() -> x.createStatement().execute("SET work_mem = '3MB'")).as("run %d", i)
                        .isInstanceOf(SQLException.class).hasMessageContaining("inside a transaction block");
                x.rollback();
                x.setAutoCommit(true);
                assertThat(value(x, "SHOW work_mem")).as("run %d", i).isEqualTo("4MB");
            }
        }
    }
}
