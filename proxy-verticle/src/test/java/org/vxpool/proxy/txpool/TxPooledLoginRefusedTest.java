package org.vxpool.proxy.txpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vxpool.proxy.txpool.TxFixture.connectTo;
import static org.vxpool.proxy.txpool.TxFixture.psql;
import static org.vxpool.proxy.txpool.TxFixture.value;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PSQLException;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.ProcessResult;
import org.vxpool.testkit.Waits;

/**
 * Transaction pooling when PostgreSQL refuses the login of a new pooled connection for a client
 * vxpool has already let in (welcomed from its cache): the client's statement fails with
 * PostgreSQL's own SQLSTATE and text as an ERROR, and the client goes on once PostgreSQL would let
 * it (a connection frees up, the database exists again).
 */
class TxPooledLoginRefusedTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder()
            .user("pwuser", "pw1", PasswordEncryption.SCRAM_SHA_256, false)
            .user("limited", "lim", PasswordEncryption.SCRAM_SHA_256, false)
            .user("wrongpw", "right", PasswordEncryption.SCRAM_SHA_256, false));

    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("vxpool-tx-login-refused");
        proxy = TxFixture.start(PG.cluster(), dir, "default_pool_size = 2\npool_timeout = 3000\n",
                List.of("pwuser:TEXTpw1", "limited:TEXTlim", "wrongpw:TEXTwrong"));
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void aPasswordChangedOnTheServerFailsTheStatementWith28P01() throws Exception {
        try (Connection holder = as("pwuser", "pw1"); Connection other = as("pwuser", "pw1")) {
            holder.setAutoCommit(false);
            execute(holder, "SELECT 1");
            PG.cluster().primary().execute("ALTER ROLE pwuser PASSWORD 'pw2'");
            try {
                assertRefused(other, "28P01", "password authentication failed for user \"pwuser\"");
                holder.commit();
                assertThat(value(other, "SELECT 42")).as("the holder's connection serves it now").isEqualTo("42");
                assertFatalAtLogin(() -> as("pwuser", "pw1"), "28P01", "password authentication failed for user \"pwuser\"");
            } finally {
                PG.cluster().primary().execute("ALTER ROLE pwuser PASSWORD 'pw1'");
            }
        }
    }

    @Test
    void aServerLimitBelowThePoolSizeMakesTheStatementWaitForAConnectionOfTheKey() throws Exception {
        try (Connection holder = as("limited", "lim"); Connection other = as("limited", "lim")) {
            limitTheRoleToOneConnection();
            holder.setAutoCommit(false);
            execute(holder, "SELECT 1");
            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> valueOf(other, "SELECT 42"));
            Thread.sleep(500);
            assertThat(waiting).as("PostgreSQL refused a second connection: the statement waits, as PgBouncer's does").isNotDone();
            holder.commit();
            assertThat(waiting.get(10, TimeUnit.SECONDS)).as("served by the connection given back").isEqualTo("42");

            execute(holder, "SELECT 1");
            assertThatThrownBy(() -> execute(other, "SELECT 1")).as("pool_timeout (3 s) still bounds the wait")
                    .isInstanceOfSatisfying(PSQLException.class, p -> {
                        assertThat(p.getSQLState()).isEqualTo("53300");
                        assertThat(p.getServerErrorMessage().getMessage()).contains("within pool_timeout (3000 ms)")
                                .contains("PostgreSQL refused another connection (too many connections for role \"limited\")");
                    });
            holder.commit();
            assertThat(value(other, "SELECT 42")).as("the client goes on").isEqualTo("42");
        } finally {
            PG.cluster().primary().execute("ALTER ROLE limited CONNECTION LIMIT -1");
        }
    }

    @Test
    void aServerLimitTakenOutsideVxpoolFailsTheStatementWith53300AtOnce() throws Exception {
        String[] psqlScript = {"-d", "dbname=postgres user=limited password=lim", "-v", "VERBOSITY=verbose",
                "-c", "SELECT 1", "-c", "SELECT 2"};
        try (Connection other = as("limited", "lim")) {
            // psql's start-up shape is known: it is welcomed without a login
            assertThat(psql(proxy, PG.cluster(), psqlScript).exitCode()).isZero();
            limitTheRoleToOneConnection();
            try (Connection direct = PG.cluster().primary().connect("limited", "lim")) {
                assertRefused(other, "53300", "too many connections for role \"limited\"");
                ProcessResult r = psql(proxy, PG.cluster(), psqlScript);
                assertThat(r.stderr()).as("psql reads PostgreSQL's error for each statement and stays")
                        .contains("ERROR:  53300: too many connections for role \"limited\"").doesNotContain("FATAL");
                assertThat(r.stderr().split("ERROR:  53300", -1)).hasSize(3);
            }
            // the direct backend frees the role's slot when its process has exited, after the close
            Waits.until(Duration.ofSeconds(20), "the direct connection's backend gone", () -> "0".equals(PG.cluster().primary()
                    .queryValue("SELECT count(*) FROM pg_stat_activity WHERE usename = 'limited'")));
            assertThat(value(other, "SELECT 42")).as("the client goes on once PostgreSQL lets it").isEqualTo("42");
        } finally {
            PG.cluster().primary().execute("ALTER ROLE limited CONNECTION LIMIT -1");
        }
    }

    /** Ends the role's pooled connections (vxpool reads their FATAL while they are idle), then allows it one. */
    private static void limitTheRoleToOneConnection() throws InterruptedException {
        PG.cluster().primary().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'limited'");
        PG.cluster().primary().execute("ALTER ROLE limited CONNECTION LIMIT 1");
        Thread.sleep(200);
    }

    private static String valueOf(Connection c, String sql) {
        try {
            return value(c, sql);
        } catch (SQLException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void aDroppedDatabaseFailsTheStatementWith3D000UntilItExistsAgain() throws Exception {
        PG.cluster().primary().execute("CREATE DATABASE dropme");
        try (Connection c = connectTo(proxy, PG.cluster(), "dropme")) {
            assertThat(value(c, "SELECT current_database()")).isEqualTo("dropme");
            // ends the connection vxpool pooled after that statement
            PG.cluster().primary().execute("DROP DATABASE dropme WITH (FORCE)");
            // vxpool reads that backend's FATAL and close while the connection is idle
            Thread.sleep(200);
            assertRefused(c, "3D000", "database \"dropme\" does not exist");
            assertFatalAtLogin(() -> connectTo(proxy, PG.cluster(), "dropme"), "3D000", "database \"dropme\" does not exist");
            PG.cluster().primary().execute("CREATE DATABASE dropme");
            assertThat(value(c, "SELECT current_database()")).as("the same client, without reconnecting").isEqualTo("dropme");
            try (Connection fresh = connectTo(proxy, PG.cluster(), "dropme")) {
                assertThat(value(fresh, "SELECT current_database()")).isEqualTo("dropme");
            }
        } finally {
            PG.cluster().primary().execute("DROP DATABASE IF EXISTS dropme WITH (FORCE)");
        }
    }

    @Test
    void aWrongPoolPasswdEntryFailsTheFirstLoginAsPostgreSQLWould() {
        // the client's password matches pool_passwd, so vxpool lets it in; PostgreSQL does not
        assertFatalAtLogin(() -> as("wrongpw", "wrong"), "28P01", "password authentication failed for user \"wrongpw\"");
    }

    interface Login {
        Connection open() throws SQLException;
    }

    /** A client that logs in now is refused as PostgreSQL refuses it, not welcomed into a session no statement can use. */
    private static void assertFatalAtLogin(Login login, String sqlState, String message) {
        assertThatThrownBy(() -> login.open().close()).isInstanceOfSatisfying(PSQLException.class, p -> {
            assertThat(p.getSQLState()).isEqualTo(sqlState);
            assertThat(p.getServerErrorMessage().getSeverity()).isEqualTo("FATAL");
            assertThat(p.getServerErrorMessage().getMessage()).isEqualTo(message);
        });
    }

    private static Connection as(String user, String password) throws SQLException {
        return connectTo(proxy, PG.cluster(), "postgres", "user", user, "password", password);
    }

    private static void assertRefused(Connection c, String sqlState, String message) throws SQLException {
        assertThatThrownBy(() -> execute(c, "SELECT 1")).isInstanceOfSatisfying(PSQLException.class, p -> {
            assertThat(p.getSQLState()).isEqualTo(sqlState);
            assertThat(p.getServerErrorMessage().getSeverity()).isEqualTo("ERROR");
            assertThat(p.getServerErrorMessage().getMessage()).isEqualTo(message);
        });
        assertThat(c.isClosed()).as("the client stays connected").isFalse();
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
