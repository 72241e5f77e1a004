package org.vxpool.proxy.txpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vxpool.proxy.txpool.TxFixture.backends;
import static org.vxpool.proxy.txpool.TxFixture.connect;
import static org.vxpool.proxy.txpool.TxFixture.psql;
import static org.vxpool.proxy.txpool.TxFixture.value;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vxpool.proxy.ProxyFixture;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.ProcessResult;

/**
 * pool_mode = transaction with psql and pgbench (primary + standby, load balancing on,
 * default_pool_size = 4): the refused session features, pgbench in every query mode with 20
 * clients, and pool_timeout.
 */
class TransactionPoolingToolsTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1));
    @TempDir
    static Path dir;
    static PgCluster pg;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        pg = PG.cluster();
        pg.primary().execute("CREATE TABLE tools_t(id int)");
        proxy = TxFixture.start(pg, dir, "default_pool_size = 4\nload_balance_mode = on\n");
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "LISTEN vx_channel",
        "SELECT pg_advisory_lock(42)",
        "CREATE TEMP TABLE vx_temp(x int)",
        "BEGIN; DECLARE vx_cur CURSOR WITH HOLD FOR SELECT 1; COMMIT",
        "SET SESSION AUTHORIZATION postgres",
        "PREPARE vx_p AS SELECT 1",
        "SET enable_seqscan = off"})
    void sessionFeaturesAreRefusedWithAClearError(String sql) {
        ProcessResult r = psql(proxy, pg, "-v", "VERBOSITY=verbose", "-c", sql);
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.stderr()).contains("ERROR:  0A000:").contains("is not supported with pool_mode = transaction");
    }

    @Test
    void transactionScopedVariantsWork() {
        ProcessResult r = psql(proxy, pg, "-v", "ON_ERROR_STOP=1", "-c", "SELECT pg_advisory_xact_lock(42)",
                "-c", "BEGIN; CREATE TEMP TABLE vx_t2(x int) ON COMMIT DROP; INSERT INTO vx_t2 VALUES (1); COMMIT",
                "-c", "BEGIN; SET LOCAL work_mem = '8MB'; SELECT current_setting('work_mem'); COMMIT",
                "-c", "DISCARD ALL", "-c", "SELECT 'still here'", "-c", "SHOW pool_processes", "-c", "SHOW pool_nodes");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.stdout()).contains("8MB").contains("DISCARD ALL").contains("still here")
                .contains(pg.user()).contains(String.valueOf(pg.standbys().get(0).port()));
    }

    @Test
    void aRefusalInsideATransactionAbortsIt() {
        ProcessResult r = psql(proxy, pg, "-c", "BEGIN", "-c", "INSERT INTO tools_t VALUES (7)",
                "-c", "LISTEN vx_channel", "-c", "COMMIT");
        assertThat(r.stderr()).contains("LISTEN is not supported with pool_mode = transaction");
        assertThat(r.stdout()).contains("ROLLBACK");
        assertThat(pg.primary().queryValue("SELECT count(*) FROM tools_t WHERE id = 7")).isEqualTo("0");
    }

    @Test
    void pgbenchInEveryQueryModeWithTwentyClientsOverFourConnections() {
        ProcessResult init = pg.primary().pgbench("-h", "127.0.0.1", "-p", String.valueOf(proxy.port), "-i", "-s", "1", "-q");
        assertThat(init.exitCode()).as(init.output()).isZero();
        for (String mode : new String[] {"simple", "extended", "prepared"}) {
            ProcessResult r = pg.primary().pgbench("-h", "127.0.0.1", "-p", String.valueOf(proxy.port),
                    "-M", mode, "-t", "25", "-c", "20", "-j", "2");
            assertThat(r.exitCode()).as(mode + "\n" + r.output()).isZero();
            assertThat(r.stdout()).as(mode).contains("number of failed transactions: 0 (0.000%)");
            // A fixed count per client, not a duration: every one of the 500 must have run.
            assertThat(r.stdout()).as(mode).contains("number of transactions actually processed: 500/500");
            assertThat(r.stderr()).as(mode).doesNotContain("ERROR", "FATAL");
            assertThat(backends(pg.primary(), pg)).as(mode).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void aClientThatGetsNoConnectionWithinPoolTimeoutGets53300AndStays() throws Exception {
        Path small = Files.createDirectory(dir.resolve("small"));
        try (ProxyFixture one = TxFixture.start(pg, small, "default_pool_size = 1\npool_timeout = 800\nload_balance_mode = off\n");
             Connection holder = connect(one, pg); Connection waiter = connect(one, pg)) {
            holder.setAutoCommit(false);
            value(holder, "select 1");
            assertThatThrownBy(() -> value(waiter, "select 2"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("53300");
                        assertThat(e.getMessage()).contains("pool_timeout").contains("default_pool_size");
                    });
            holder.commit();
            assertThat(value(waiter, "select 2")).isEqualTo("2");
        }
    }
}
