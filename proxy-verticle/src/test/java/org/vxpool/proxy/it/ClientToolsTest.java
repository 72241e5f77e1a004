package org.vxpool.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.PgNode;
import org.vxpool.testkit.ProcessResult;
import org.vxpool.testkit.Processes;
import org.vxpool.testkit.Waits;

/** Real psql and pgbench through vxpool (SCRAM pass-through for the fixture's user). */
class ClientToolsTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder());

    static ProxyFixture proxy;

    @BeforeAll
    static void startProxy() {
        proxy = ProxyFixture.start(PG.cluster(), s -> s.withNumInitChildren(64), 2);
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    private static PgNode node() {
        return PG.cluster().primary();
    }

    private static ProcessResult psql(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "-p";
        all[1] = String.valueOf(proxy.port);
        System.arraycopy(args, 0, all, 2, args.length);
        return node().psqlCommand(all);
    }

    @Test
    void psqlScriptWithCopyMultiStatementAndErrors() throws Exception {
        Path dir = Files.createTempDirectory("vxpsql");
        Path csv = dir.resolve("in.csv");
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 5000; i++) {
            sb.append(i).append(",name ").append(i).append('\n');
        }
        Files.writeString(csv, sb);
        Path out = dir.resolve("out.csv");
        Path script = dir.resolve("script.sql");
        Files.writeString(script, String.join("\n",
                "DROP TABLE IF EXISTS psql_t;",
                "CREATE TABLE psql_t(id int, name text);",
                "\\copy psql_t FROM '" + csv + "' WITH (FORMAT csv)",
                "SELECT count(*) AS n, sum(id) AS s FROM psql_t; SELECT 'multi' AS m;",
                "\\copy (SELECT * FROM psql_t ORDER BY id) TO '" + out + "' WITH (FORMAT csv)",
                "BEGIN;",
                "SELECT 1/0;",
                "SELECT 'in failed tx';",
                "ROLLBACK;",
                "SELECT 'after rollback' AS ok;",
                ""));
        ProcessResult r = psql("-At", "-f", script.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.stdout()).contains("5000|12502500", "multi", "after rollback");
        assertThat(r.stderr()).contains("division by zero", "current transaction is aborted");
        assertThat(Files.readString(out)).isEqualTo(sb.toString());

        ProcessResult stop = psql("-At", "-v", "ON_ERROR_STOP=1", "-c", "SELECT 1", "-c", "SELECT * FROM nope", "-c", "SELECT 'not reached'");
        assertThat(stop.exitCode()).isNotZero();
        assertThat(stop.stderr()).contains("relation \"nope\" does not exist");
        assertThat(stop.stdout()).doesNotContain("not reached");
    }

    @Test
    void pgbenchAllQueryModesRunClean() {
        ProcessResult init = node().pgbench("-h", "127.0.0.1", "-p", String.valueOf(proxy.port), "-i", "-s", "1", "-q");
        assertThat(init.exitCode()).as(init.output()).isZero();
        for (String mode : new String[] {"simple", "extended", "prepared"}) {
            ProcessResult r = node().pgbench("-h", "127.0.0.1", "-p", String.valueOf(proxy.port),
                    "-M", mode, "-T", "5", "-c", "4", "-j", "2");
            assertThat(r.exitCode()).as(mode + "\n" + r.output()).isZero();
            assertThat(r.stdout()).as(mode).contains("number of failed transactions: 0 (0.000%)");
            Matcher m = Pattern.compile("number of transactions actually processed: (\\d+)").matcher(r.stdout());
            assertThat(m.find()).as(mode + "\n" + r.output()).isTrue();
            assertThat(Long.parseLong(m.group(1))).as(mode).isGreaterThan(50);
            assertThat(r.stderr()).as(mode).doesNotContain("ERROR", "FATAL");
        }
    }

    @Test
    void psqlCtrlCCancelsTheRunningQuery() throws Exception {
        Path outFile = Files.createTempFile("vxpsql-cancel", ".out");
        try (Processes.Spawned psql = Processes.command(PG.cluster().binaries().tool("psql"), "-X",
                        "-h", "127.0.0.1", "-p", String.valueOf(proxy.port), "-U", PG.cluster().user(), "-d", "postgres",
                        "-c", "SELECT pg_sleep(60) /* vx-cancel-me */")
                .env("PGPASSWORD", PG.cluster().password())
                .start(outFile)) {
            Waits.until(Duration.ofSeconds(20), "query running", () -> "1".equals(node().queryValue(
                    "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%vx-cancel-me%' AND pid <> pg_backend_pid()")));
            Processes.run("kill", "-INT", String.valueOf(psql.pid())).requireOk();
            Optional<Integer> exit = psql.waitFor(Duration.ofSeconds(20));
            assertThat(exit).as("psql ended after Ctrl-C").isPresent();
            assertThat(Files.readString(outFile)).contains("canceling statement due to user request");
        }
    }
}
