package org.vxpool.proxy.txpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vxpool.proxy.txpool.TxFixture.connect;
import static org.vxpool.proxy.txpool.TxFixture.psql;
import static org.vxpool.proxy.txpool.TxFixture.value;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PSQLException;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.ProcessResult;
import org.vxpool.testkit.Waits;

/**
 * Transaction pooling when a backend ends the connection lent to a client with its own FATAL
 * ({@code pg_terminate_backend}, {@code idle_in_transaction_session_timeout}), compared with what
 * the same client reads from PostgreSQL directly:
 * <ul>
 * <li>inside a transaction the client reads the backend's FATAL as is and is disconnected, as
 *     directly (its transaction is gone);</li>
 * <li>an autocommit statement fails with an ERROR carrying the backend's SQLSTATE and text, and
 *     the client's session, which is vxpool's, goes on;</li>
 * <li>{@code statement_timeout}'s 57014 is an ERROR and reaches the client exactly as directly.</li>
 * </ul>
 */
class TxBackendTerminatedTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder());

    static Path dir;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("vxpool-tx-terminated");
        proxy = TxFixture.start(PG.cluster(), dir, "default_pool_size = 2\n");
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void aTerminatedAutocommitStatementFailsWithTheBackendsSqlstateAndTheClientGoesOn() throws Exception {
        try (Connection c = connect(proxy, PG.cluster())) {
            SQLException e = terminatedDuring("jdbc-autocommit", () -> execute(c, "SELECT pg_sleep(60) /* jdbc-autocommit */"));
            assertThat((Throwable) e).isInstanceOfSatisfying(PSQLException.class, p -> {
                assertThat(p.getSQLState()).as("PostgreSQL's own SQLSTATE, as directly").isEqualTo("57P01");
                assertThat(p.getServerErrorMessage().getSeverity()).as("the session survives").isEqualTo("ERROR");
                assertThat(p.getServerErrorMessage().getMessage()).isEqualTo("terminating connection due to administrator command");
                assertThat(p.getServerErrorMessage().getDetail()).contains("node 0").contains("this session goes on");
            });
            assertThat(c.isClosed()).isFalse();
            assertThat(value(c, "SELECT 41 + 1")).as("the client goes on, on another backend connection").isEqualTo("42");
        }
    }

    @Test
    void psqlReadsTheBackendsErrorForATerminatedAutocommitStatementAndRunsTheNextCommand() throws Exception {
        ProcessResult r = terminatedDuring("psql-autocommit", () -> psql(proxy, PG.cluster(), "-v", "VERBOSITY=verbose",
                "-c", "SELECT pg_sleep(60) /* psql-autocommit */", "-c", "SELECT 42 AS after"));
        assertThat(r.stderr()).contains("ERROR:  57P01: terminating connection due to administrator command")
                .doesNotContain("FATAL").doesNotContain("08006").doesNotContain("connection to server was lost");
        assertThat(r.stdout()).as("the next command runs in the same session").contains("42");
        assertThat(r.exitCode()).as("no lost connection (psql's exit status 2)").isZero();
    }

    @Test
    void aTerminatedTransactionEndsTheClientWithTheBackendsOwnFatal() throws Exception {
        try (Connection c = connect(proxy, PG.cluster())) {
            c.setAutoCommit(false);
            execute(c, "SELECT 1");
            SQLException e = terminatedDuring("jdbc-tx", () -> execute(c, "SELECT pg_sleep(60) /* jdbc-tx */"));
            assertThat((Throwable) e).isInstanceOfSatisfying(PSQLException.class, p -> {
                assertThat(p.getSQLState()).isEqualTo("57P01");
                assertThat(p.getServerErrorMessage().getSeverity()).isEqualTo("FATAL");
                assertThat(p.getServerErrorMessage().getMessage()).isEqualTo("terminating connection due to administrator command");
            });
            assertThat(c.isClosed()).as("the driver saw the connection end, as directly").isTrue();
        }
    }

    @Test
    void psqlSeesATerminatedTransactionAsItDoesDirectly() throws Exception {
        String[] script = {"-v", "VERBOSITY=verbose", "-c", "BEGIN", "-c", "SELECT pg_sleep(60) /* psql-tx */", "-c", "SELECT 42 AS after"};
        ProcessResult direct = terminatedDuring("psql-tx", () -> PG.cluster().primary().psqlCommand(script));
        ProcessResult pooled = terminatedDuring("psql-tx", () -> psql(proxy, PG.cluster(), script));
        assertThat(direct.stderr()).contains("FATAL:  57P01: terminating connection due to administrator command");
        assertThat(pooled.stderr()).isEqualTo(direct.stderr());
        assertThat(pooled.stdout()).isEqualTo(direct.stdout());
        assertThat(pooled.exitCode()).as("psql's 'connection lost'").isEqualTo(direct.exitCode()).isEqualTo(2);
    }

    @Test
    void idleInTransactionSessionTimeoutReachesJdbcAsFrom25P03() throws Exception {
        try (Connection c = connect(proxy, PG.cluster())) {
            execute(c, "SET idle_in_transaction_session_timeout = '300ms'");
            c.setAutoCommit(false);
            execute(c, "SELECT 1");
            Thread.sleep(1500);
            assertThatThrownBy(() -> execute(c, "SELECT 2")).isInstanceOfSatisfying(PSQLException.class, p -> {
                assertThat(p.getSQLState()).isEqualTo("25P03");
                assertThat(p.getServerErrorMessage().getSeverity()).isEqualTo("FATAL");
                assertThat(p.getServerErrorMessage().getMessage()).isEqualTo("terminating connection due to idle-in-transaction timeout");
            });
            assertThat(c.isClosed()).isTrue();
        }
    }

    @Test
    void psqlSeesIdleInTransactionSessionTimeoutAsItDoesDirectly() {
        String[] script = {"-v", "VERBOSITY=verbose", "-c", "SET idle_in_transaction_session_timeout = '300ms'", "-c", "BEGIN",
                "-c", "SELECT 1 AS before", "-c", "\\! sleep 1.5", "-c", "SELECT 2 AS after"};
        ProcessResult direct = PG.cluster().primary().psqlCommand(script);
        ProcessResult pooled = psql(proxy, PG.cluster(), script);
        assertThat(direct.stderr()).contains("FATAL:  25P03: terminating connection due to idle-in-transaction timeout");
        assertThat(pooled.stderr()).isEqualTo(direct.stderr());
        assertThat(pooled.stdout()).isEqualTo(direct.stdout());
        assertThat(pooled.exitCode()).isEqualTo(direct.exitCode()).isEqualTo(2);
    }

    @Test
    void statementTimeoutIsAnErrorAsDirectlyInAndOutsideATransaction() throws Exception {
        try (Connection c = connect(proxy, PG.cluster())) {
            execute(c, "SET statement_timeout = 200");
            assertThatThrownBy(() -> execute(c, "SELECT pg_sleep(5)")).isInstanceOfSatisfying(PSQLException.class, p -> {
                assertThat(p.getSQLState()).isEqualTo("57014");
                assertThat(p.getServerErrorMessage().getSeverity()).isEqualTo("ERROR");
            });
            c.setAutoCommit(false);
            assertThatThrownBy(() -> execute(c, "SELECT pg_sleep(5)"))
                    .isInstanceOfSatisfying(PSQLException.class, p -> assertThat(p.getSQLState()).isEqualTo("57014"));
            c.rollback();
            assertThat(value(c, "SELECT 42")).isEqualTo("42");
        }
        String[] script = {"-v", "VERBOSITY=verbose", "-c", "SET statement_timeout = 200", "-c", "SELECT pg_sleep(5)",
                "-c", "BEGIN", "-c", "SELECT pg_sleep(5)", "-c", "SELECT 1", "-c", "ROLLBACK", "-c", "SELECT 42 AS after"};
        ProcessResult direct = PG.cluster().primary().psqlCommand(script);
        ProcessResult pooled = psql(proxy, PG.cluster(), script);
        assertThat(direct.stderr()).contains("ERROR:  57014: canceling statement due to statement timeout")
                .contains("ERROR:  25P02");
        assertThat(pooled.stderr()).isEqualTo(direct.stderr());
        assertThat(pooled.stdout()).isEqualTo(direct.stdout()).contains("42");
    }

    private static Void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
        return null;
    }

    interface Work<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code work} in the background, terminates the backend running the statement marked
     * {@code marker} once PostgreSQL shows it; returns the SQLException {@code work} threw, or
     * what it returned.
     */
    @SuppressWarnings("unchecked")
    static <T> T terminatedDuring(String marker, Work<?> work) throws Exception {
        CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
            try {
                return work.run();
            } catch (SQLException e) {
                return e;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        String find = "SELECT pid FROM pg_stat_activity WHERE query LIKE '%/* " + marker + " */%' AND pid <> pg_backend_pid()";
        Waits.until(Duration.ofSeconds(20), "the statement " + marker + " on the backend",
                () -> PG.cluster().primary().queryValue(find) != null);
        String pid = PG.cluster().primary().queryValue(find);
        assertThat(PG.cluster().primary().queryValue("SELECT pg_terminate_backend(" + pid + ")")).isEqualTo("t");
        return (T) running.get(30, TimeUnit.SECONDS);
    }
}
