package org.vxpool.proxy.txpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vxpool.proxy.txpool.TxFixture.connect;
import static org.vxpool.proxy.txpool.TxFixture.connectTo;
import static org.vxpool.proxy.txpool.TxFixture.psql;
import static org.vxpool.proxy.txpool.TxFixture.value;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PSQLException;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.PgNode;
import org.vxpool.testkit.ProcessResult;
import org.vxpool.testkit.StopMode;
import org.vxpool.testkit.Waits;

/**
 * Transaction pooling while PostgreSQL shuts down under running statements: a fast shutdown's
 * FATAL 57P01 is the client's as PostgreSQL sends it inside a transaction and an ERROR with that
 * SQLSTATE outside one (the session outlives the server's restart); an immediate shutdown's
 * WARNING reaches the client before vxpool's 08006; a smart shutdown refusing new logins (57P03)
 * fails the statement, and the client goes on once a connection that PostgreSQL keeps is free.
 */
class TxServerShutdownTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder());

    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("vxpool-tx-shutdown");
        proxy = TxFixture.start(PG.cluster(), dir, "default_pool_size = 2\n");
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    /** A smart shutdown under way, which waits for every backend connection to end. */
    private CompletableFuture<Void> stopping;

    @AfterEach
    void serverRunsAgain() throws Exception {
        if (stopping != null && !stopping.isDone()) {
            // a failed test left pooled connections that a smart shutdown would wait for
            primary().stop(StopMode.FAST);
            stopping.get(60, TimeUnit.SECONDS);
        }
        primary().start();
    }

    @Test
    void aFastShutdownFailsAnAutocommitStatementWith57P01AndTheSessionOutlivesTheRestart() throws Exception {
        try (Connection c = connect(proxy, PG.cluster())) {
            CompletableFuture<SQLException> running = during(() -> c.createStatement().execute("SELECT pg_sleep(60) /* fast-autocommit */"));
            awaitRunning("fast-autocommit");
            primary().stop(StopMode.FAST);
            assertThat((Throwable) running.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(PSQLException.class, p -> {
                assertThat(p.getSQLState()).isEqualTo("57P01");
                assertThat(p.getServerErrorMessage().getSeverity()).isEqualTo("ERROR");
                assertThat(p.getServerErrorMessage().getMessage()).isEqualTo("terminating connection due to administrator command");
            });
            primary().start();
            assertThat(value(c, "SELECT 42")).as("the same client after the restart").isEqualTo("42");
        }
    }

    @Test
    void aFastShutdownEndsAnOpenTransactionWithPostgreSQLsFatal() throws Exception {
        try (Connection c = connect(proxy, PG.cluster())) {
            c.setAutoCommit(false);
            value(c, "SELECT 1");
            CompletableFuture<SQLException> running = during(() -> c.createStatement().execute("SELECT pg_sleep(60) /* fast-tx */"));
            awaitRunning("fast-tx");
            CompletableFuture<ProcessResult> viaPsql = CompletableFuture.supplyAsync(() -> psql(proxy, PG.cluster(),
                    "-v", "VERBOSITY=verbose", "-c", "BEGIN", "-c", "SELECT pg_sleep(60) /* fast-tx-psql */"));
            awaitRunning("fast-tx-psql");
            primary().stop(StopMode.FAST);
            assertThat((Throwable) running.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(PSQLException.class, p -> {
                assertThat(p.getSQLState()).isEqualTo("57P01");
                assertThat(p.getServerErrorMessage().getSeverity()).isEqualTo("FATAL");
            });
            assertThat(c.isClosed()).isTrue();
            ProcessResult r = viaPsql.get(30, TimeUnit.SECONDS);
            assertThat(r.stderr()).contains("FATAL:  57P01: terminating connection due to administrator command")
                    .contains("server closed the connection unexpectedly");
            assertThat(r.exitCode()).isEqualTo(2);
        }
    }

    @Test
    void anImmediateShutdownsWarningReachesTheClientBeforeVxpools08006() throws Exception {
        CompletableFuture<ProcessResult> viaPsql = CompletableFuture.supplyAsync(() -> psql(proxy, PG.cluster(),
                "-v", "VERBOSITY=verbose", "-c", "SELECT pg_sleep(60) /* immediate */"));
        awaitRunning("immediate");
        primary().stop(StopMode.IMMEDIATE);
        ProcessResult r = viaPsql.get(30, TimeUnit.SECONDS);
        assertThat(r.stderr()).contains("WARNING:  57P01: terminating connection due to immediate shutdown command")
                .contains("ERROR:  08006: backend node 0").doesNotContain("FATAL");
    }

    @Test
    void aSmartShutdownRefusingLoginsFailsTheStatementWith57P03AndTheClientGoesOn() throws Exception {
        primary().execute("CREATE DATABASE smart");
        try (Connection holder = connectTo(proxy, PG.cluster(), "smart"); Connection other = connectTo(proxy, PG.cluster(), "smart")) {
            holder.setAutoCommit(false);
            value(holder, "SELECT 1");
            stopping = CompletableFuture.runAsync(() -> primary().stop(StopMode.SMART));
            Waits.until(Duration.ofSeconds(20), "the server stops accepting logins", this::smartShutdownUnderWay);
            assertThatThrownBy(() -> value(other, "SELECT 1")).isInstanceOfSatisfying(PSQLException.class, p -> {
                assertThat(p.getSQLState()).isEqualTo("57P03");
                assertThat(p.getServerErrorMessage().getSeverity()).isEqualTo("ERROR");
                assertThat(p.getServerErrorMessage().getMessage()).isEqualTo("the database system is shutting down");
            });
            holder.commit();
            assertThat(value(other, "SELECT 42")).as("the holder's connection, which PostgreSQL keeps, serves it").isEqualTo("42");
            // lets the smart shutdown finish: every backend ends, this one last
            value(other, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
            assertThatThrownBy(() -> value(other, "SELECT pg_terminate_backend(pg_backend_pid())"))
                    .isInstanceOfSatisfying(PSQLException.class, p -> assertThat(p.getSQLState()).isEqualTo("57P01"));
        }
        stopping.get(60, TimeUnit.SECONDS);
        primary().start();
        primary().execute("DROP DATABASE smart");
    }

    private boolean smartShutdownUnderWay() {
        try {
            List<String> pid = Files.readAllLines(primary().dataDir().resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return pid.size() >= 8 && pid.get(7).trim().equals("stopping");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static PgNode primary() {
        return PG.cluster().node(0);
    }

    interface Sql {
        void run() throws SQLException;
    }

    private static CompletableFuture<SQLException> during(Sql sql) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                sql.run();
                return null;
            } catch (SQLException e) {
                return e;
            }
        });
    }

    private static void awaitRunning(String marker) {
        String find = "SELECT pid FROM pg_stat_activity WHERE query LIKE '%/* " + marker + " */%' AND pid <> pg_backend_pid()";
        Waits.until(Duration.ofSeconds(20), "the statement " + marker + " on the backend", () -> primary().queryValue(find) != null);
    }
}
