package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vxpool.testkit.FreePorts;
import org.vxpool.testkit.PgBinaries;
import org.vxpool.testkit.ProcessResult;
import org.vxpool.testkit.Processes;

/**
 * The README's first command, {@code bin/demo}, run as a user runs it (on ports of its own), and
 * the failover it invites in its banner: the commands it prints crash the primary, the standby is
 * promoted, a write through the second vxpool node lands, and {@code vxpoolctl recover 0} rebuilds
 * node 0 as a streaming standby of node 1 on both vxpool nodes. A SIGTERM (what Ctrl-C does to the
 * script) then stops every process it started, including the server that recovery restarted.
 */
class DemoScriptIT {
    private static final Path ROOT = Path.of(System.getProperty("vxpool.root", "..")).toAbsolutePath().normalize();
    private static final String USER = "vxdemo";
    private static final String PASSWORD = "vxdemo-pw";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern BACKENDS = Pattern.compile("primary 127\\.0\\.0\\.1:(\\d+), standby 127\\.0\\.0\\.1:(\\d+)");

    private Path work;
    private Path demo;
    private final int[] proxy = {FreePorts.find(), FreePorts.find()};
    private Processes.Spawned script;

    @BeforeEach
    void directory() throws IOException {
        // The PostgreSQL user must reach the demo's directory: not a private temp directory.
        work = Files.createTempDirectory("vxdemo-it-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        demo = work.resolve("demo");
    }

    @AfterEach
    void stopEverything() throws IOException {
        if (script != null) {
            script.stop(Duration.ofSeconds(90));
        }
        for (String pg : List.of("pg0", "pg1")) {
            Path pid = demo.resolve(pg).resolve("postmaster.pid");
            if (Files.exists(pid)) {
                Processes.killTree(Long.parseLong(Files.readAllLines(pid).get(0).strip()));
            }
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theDemoFailsOverRecoversAndStopsEverything() throws Exception {
        script = Processes.command(ROOT.resolve("bin/demo").toString())
                .dir(ROOT)
                .env("VXDEMO_DIR", demo.toString())
                .env("VXDEMO_PROXY_PORTS", proxy[0] + " " + proxy[1])
                .env("VXDEMO_WD_PORTS", FreePorts.find() + " " + FreePorts.find())
                .env("VXDEMO_ADMIN_PORTS", FreePorts.find() + " " + FreePorts.find())
                .env("VXDEMO_PG_PORT", Integer.toString(FreePorts.find()))
                .start(work.resolve("demo.out"));
        script.awaitOutput("Press Ctrl-C to stop everything.", Duration.ofSeconds(300));
        String banner = script.output();
        Matcher backends = BACKENDS.matcher(banner);
        assertThat(backends.find()).as(banner).isTrue();
        int pg0 = Integer.parseInt(backends.group(1));

        for (int port : proxy) {
            awaitPoolNodes(port, n -> "primary".equals(n.get(0).get("role")) && "standby".equals(n.get(1).get("role"))
                    && "up".equals(n.get(0).get("status")) && "up".equals(n.get(1).get("status")));
        }
        assertThat(psql(proxy[0], "CREATE TABLE demo_it(i int); INSERT INTO demo_it VALUES (1)").exitCode()).isZero();

        // The banner's own commands: crash the primary, then recover it.
        String crash = bannerLine(banner, "pg_ctl -D ");
        String recover = bannerLine(banner, " recover 0");
        ProcessResult crashed = Processes.command("bash", "-c", crash).dir(ROOT).run();
        assertThat(crashed.exitCode()).as(crashed.output()).isZero();

        for (int port : proxy) {
            awaitPoolNodes(port, n -> "down".equals(n.get(0).get("status")) && "primary".equals(n.get(1).get("role")));
        }
        ProcessResult write = psql(proxy[1], "INSERT INTO demo_it VALUES (2)");
        assertThat(write.exitCode()).as("a write through the second vxpool node after the failover: " + write.output()).isZero();

        ProcessResult recovered = Processes.command("bash", "-c", recover).dir(ROOT).timeout(Duration.ofSeconds(150)).run();
        assertThat(recovered.exitCode()).as(recovered.output()).isZero();
        assertThat(recovered.stdout()).contains("node 0 recovered as a standby of node 1");
        for (int port : proxy) {
            awaitPoolNodes(port, n -> "up".equals(n.get(0).get("status")) && "standby".equals(n.get(0).get("role"))
                    && "streaming".equals(n.get(0).get("replication_state")) && "primary".equals(n.get(1).get("role")));
        }
        ProcessResult direct = Processes.command(PgBinaries.get().tool("psql"), "-X", "-A", "-t", "-h", "127.0.0.1",
                "-p", Integer.toString(pg0), "-U", USER, "-d", "postgres",
                "-c", "SELECT count(*) || ' ' || pg_is_in_recovery() FROM demo_it").env("PGPASSWORD", PASSWORD).run();
        assertThat(direct.stdout().strip()).as("node 0, rebuilt: both rows, in recovery").isEqualTo("2 true");

        // Ctrl-C: the script's trap stops both vxpool nodes and both servers.
        Processes.run("kill", "-TERM", Long.toString(script.pid()));
        assertThat(script.waitFor(Duration.ofSeconds(90))).contains(130);
        assertThat(script.output()).contains("demo: stopped everything");
        script = null;
        assertThat(demo.resolve("pg0/postmaster.pid")).doesNotExist();
        assertThat(demo.resolve("pg1/postmaster.pid")).doesNotExist();
        assertThat(demo.resolve("node0/vxpool.pid")).doesNotExist();
        assertThat(demo.resolve("node1/vxpool.pid")).doesNotExist();
        for (int port : proxy) {
            // closed client connections may linger in TIME_WAIT: ask for listeners, not bindability
            assertThat(Processes.run("ss", "-Htln", "sport = :" + port).stdout()).as("listener on " + port).isBlank();
        }
    }

    /** The printed command line containing {@code marker}, without the banner's indentation. */
    private static String bannerLine(String banner, String marker) {
        return banner.lines().filter(l -> l.contains(marker)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + marker + "' in the banner:\n" + banner)).strip();
    }

    private static ProcessResult psql(int port, String sql) {
        return Processes.command(PgBinaries.get().tool("psql"), "-X", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-U", USER, "-d", "postgres", "-c", sql).env("PGPASSWORD", PASSWORD).run();
    }

    private static List<Map<String, String>> awaitPoolNodes(int port, Predicate<List<Map<String, String>>> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Map<String, String>> last = List.of();
        while (System.nanoTime() < deadline) {
            last = poolNodes(port);
            if (last.size() == 2 && condition.test(last)) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("SHOW pool_nodes on port " + port + " after " + WAIT.toSeconds() + " s: " + last);
    }

    /** {@code SHOW pool_nodes} with psql, one column map per row; empty while the proxy refuses. */
    private static List<Map<String, String>> poolNodes(int port) {
        ProcessResult r = Processes.command(PgBinaries.get().tool("psql"), "-X", "-A", "-F", "|", "-P", "footer=off",
                "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, "-d", "postgres", "-c", "SHOW pool_nodes")
                .env("PGPASSWORD", PASSWORD).env("PGCONNECT_TIMEOUT", "5").timeout(Duration.ofSeconds(20)).run();
        if (r.exitCode() != 0) {
            return List.of();
        }
        String[] lines = r.stdout().strip().split("\n");
        String[] header = lines[0].split("\\|", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split("\\|", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.length; c++) {
                row.put(header[c], c < cells.length ? cells[c] : "");
            }
            rows.add(row);
        }
        return rows;
    }
}
