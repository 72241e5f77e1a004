package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.testkit.PgBinaries;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.ProcessResult;
import org.vxpool.testkit.Processes;

/**
 * {@code bin/vxpool} in transaction mode as an operator runs it: the event loops it chooses (one on
 * a machine of one or two cores, docs/LAUNCHER.md), listening sockets that accept on them, and
 * pgbench with a new connection per transaction (each one accepted, authenticated by vxpool and
 * served from the pool) without a failed transaction and within the pool's backend connections.
 */
class LauncherTransactionModeTest {
    private static final int DEFAULT_POOL_SIZE = 2;
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder());

    @TempDir
    Path dir;

    private final StartedNodes started = new StartedNodes();

    @AfterEach
    void killEverything() {
        started.close();
    }

    @Test
    void aConnectionPerTransactionIsServedOnTheChosenLoopsWithinThePool() throws Exception {
        PgCluster pg = PG.cluster();
        NodeFiles node = NodeFiles.allocate(dir, "txlaunch");
        Files.writeString(node.dir().resolve("pool_hba.conf"), "host all all 127.0.0.1/32 scram-sha-256\n");
        Files.writeString(node.dir().resolve("pool_passwd"), pg.user() + ":TEXT" + pg.password() + "\n");
        // No periodic health or SR checks: once the primary is found (health_check_user's one-off
        // connection), every backend connection PostgreSQL sees is the pool's.
        node.writeConfig(false, List.of(), List.of(pg.primary().port()), List.of("enable_pool_hba = on",
                "pool_mode = 'transaction'",
                "default_pool_size = " + DEFAULT_POOL_SIZE,
                "health_check_period = 0",
                "sr_check_period = 0",
                "health_check_user = '" + pg.user() + "'",
                "health_check_password = '" + pg.password() + "'"));
        started.start(node);
        VxpoolProcess.awaitMembers(node.healthUrl(), 1, Duration.ofSeconds(90));
        ProcessResult init = pgbench(pg, pg.primary().port(), "-i", "-s", "1", "-q").requireOk();
        assertThat(init.exitCode()).isZero();

        ProcessResult run = pgbench(pg, node.proxyPort(), "-n", "-C", "-S", "-c", "4", "-j", "2", "-T", "3");

        String log = Files.readString(node.logdir().resolve("vxpool.log"));
        assertThat(run.exitCode()).as(run.output() + log).isZero();
        assertThat(run.stdout()).contains("number of failed transactions: 0");
        long processed = Long.parseLong(run.stdout().replaceAll("(?s).*number of transactions actually processed: (\\d+).*", "$1"));
        assertThat(processed).as(run.stdout()).isGreaterThan(20);

        int loops = CORES <= 2 ? 1 : CORES;
        assertThat(log).contains(loops + (loops == 1 ? " event loop, " : " event loops, ")
                + "native epoll (accepting on the event loops) transport");
        assertThat(log).contains("proxy started (" + loops + " instance" + (loops == 1 ? ")" : "s)"));
        long backends = Long.parseLong(pg.primary().queryValue("SELECT count(*) FROM pg_stat_activity"
                + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
                + " AND usename = '" + pg.user() + "' AND datname = 'postgres'"));
        assertThat(backends).as("the pool's connections: %s per loop", DEFAULT_POOL_SIZE)
                .isBetween(1L, (long) DEFAULT_POOL_SIZE * loops);
    }

    private static ProcessResult pgbench(PgCluster pg, int port, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(PgBinaries.get().tool("pgbench"),
                "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", pg.user()));
        argv.addAll(List.of(args));
        argv.add("postgres");
        return Processes.command(argv).env("PGPASSWORD", pg.password()).env("PGCONNECT_TIMEOUT", "5")
                .timeout(Duration.ofSeconds(60)).run();
    }
}
