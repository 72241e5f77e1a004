package org.vxpool.proxy.txpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vxpool.proxy.txpool.TxFixture.connect;
import static org.vxpool.proxy.txpool.TxFixture.value;

import java.nio.file.Path;
import java.sql.Connection;
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
 * Transaction defaults set the way JDBC sets them: {@code Connection.setTransactionIsolation}
 * (what HikariCP's {@code transactionIsolation} and Spring's isolation levels call) and
 * {@code setReadOnly} with {@code readOnlyMode=always} both send {@code SET SESSION
 * CHARACTERISTICS AS TRANSACTION ...}, which transaction pooling refused with 0A000 before the
 * txaudit8 audit. Two clients share the primary's only pooled connection, so each transaction
 * must run with its own client's defaults. Reads outside a transaction go to the standby, except
 * for a client that is serializable by default: the standby would refuse them.
 */
class TxIsolationDefaultsTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1));
    @TempDir
    static Path dir;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        PG.cluster().primary().execute("CREATE TABLE iso_t(v int)");
        PG.cluster().standbys().get(0).waitForReplay(PG.cluster().primary());
        // node 0 has weight 0: reads outside transactions go to the standby
        proxy = TxFixture.start(PG.cluster(), dir, "default_pool_size = 1\nload_balance_mode = on\n", 0, 1);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    /** The isolation level of a transaction the driver opens (autocommit off), committed at once. */
    private static String isolationInTransaction(Connection c) throws SQLException {
        c.setAutoCommit(false);
        String level = value(c, "SHOW transaction_isolation");
        c.commit();
        c.setAutoCommit(true);
        return level;
    }

    @Test
    void setTransactionIsolationFollowsEachClientOntoTheSharedConnection() throws Exception {
        try (Connection serializable = connect(proxy, PG.cluster()); Connection plain = connect(proxy, PG.cluster())) {
            serializable.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            for (int round = 0; round < 3; round++) {
                assertThat(isolationInTransaction(serializable)).as("round %d", round).isEqualTo("serializable");
                assertThat(isolationInTransaction(plain)).as("round %d", round).isEqualTo("read committed");
            }
            assertThat(serializable.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
            assertThat(plain.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);

            serializable.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            assertThat(isolationInTransaction(serializable)).isEqualTo("repeatable read");
            try (Statement st = serializable.createStatement()) {
                st.execute("RESET default_transaction_isolation");
            }
            assertThat(isolationInTransaction(serializable)).isEqualTo("read committed");
        }
    }

    @Test
    void readsOfAClientThatIsSerializableByDefaultRunOnThePrimary() throws Exception {
        String standby = String.valueOf(PG.cluster().standbys().get(0).port());
        String primary = String.valueOf(PG.cluster().primary().port());
        try (Connection serializable = connect(proxy, PG.cluster()); Connection plain = connect(proxy, PG.cluster())) {
            assertThat(value(serializable, "SELECT inet_server_port()")).isEqualTo(standby);
            serializable.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            // on the standby: ERROR 0A000 cannot use serializable mode in a hot standby
            assertThat(value(serializable, "SELECT inet_server_port() || '|' || current_setting('transaction_isolation')"))
                    .isEqualTo(primary + "|serializable");
            assertThat(value(plain, "SELECT inet_server_port() || '|' || current_setting('transaction_isolation')"))
                    .isEqualTo(standby + "|read committed");
            serializable.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            assertThat(value(serializable, "SELECT inet_server_port()")).isEqualTo(standby);
        }
    }

    @Test
    void aClientSerializableFromItsStartUpPacketReadsOnThePrimaryToo() throws Exception {
        String primary = String.valueOf(PG.cluster().primary().port());
        try (Connection c = connect(proxy, PG.cluster(), "options", "-c default_transaction_isolation=serializable")) {
            for (int i = 0; i < 3; i++) {
                assertThat(value(c, "SELECT inet_server_port() || '|' || current_setting('transaction_isolation')"))
                        .isEqualTo(primary + "|serializable");
            }
        }
    }

    @Test
    void deferrableAndTheReadOnlyDefaultFollowTheClientToo() throws Exception {
        try (Connection readOnly = connect(proxy, PG.cluster(), "readOnlyMode", "always");
                Connection plain = connect(proxy, PG.cluster())) {
            readOnly.setReadOnly(true);
            try (Statement st = readOnly.createStatement()) {
                st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE");
                st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION DEFERRABLE");
            }
            assertThatThrownBy(() -> readOnly.createStatement().execute("INSERT INTO iso_t VALUES (1)"))
                    .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25006");
            assertThat(value(plain, "SELECT current_setting('default_transaction_read_only') || '|'"
                    + " || current_setting('default_transaction_deferrable')")).isEqualTo("off|off");
            try (Statement st = plain.createStatement()) {
                st.execute("INSERT INTO iso_t VALUES (2)");
            }
            assertThat(value(readOnly, "SELECT current_setting('default_transaction_read_only') || '|'"
                    + " || current_setting('default_transaction_deferrable')")).isEqualTo("on|on");
            readOnly.setReadOnly(false);
            try (Statement st = readOnly.createStatement()) {
                st.execute("INSERT INTO iso_t VALUES (3)");
            }
        }
    }

    @Test
    void modesThatCannotBeTrackedInOneStatementAreRefusedAndTheClientGoesOn() throws Exception {
        try (Connection c = connect(proxy, PG.cluster())) {
            assertThatThrownBy(() -> c.createStatement().execute(
                    "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE, DEFERRABLE"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("SET SESSION CHARACTERISTICS with both ISOLATION LEVEL and [NOT] DEFERRABLE")
                    .hasMessageContaining("is not supported with pool_mode = transaction")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("0A000");
            assertThat(isolationInTransaction(c)).isEqualTo("read committed");
            c.setAutoCommit(false);
            value(c, "SELECT 1");
            // inside a transaction the driver refuses by itself; a statement reaches vxpool's refusal
            assertThatThrownBy(() -> c.createStatement().execute(
                    "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE"))
                    .hasMessageContaining("inside a transaction block");
            c.rollback();
        }
    }
}
