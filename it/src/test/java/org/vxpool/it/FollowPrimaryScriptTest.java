package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.it.reliability.LedgerWriters;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgNode;
import org.vxpool.testkit.ProcessResult;
import org.vxpool.testkit.Processes;
import org.vxpool.testkit.Waits;

/**
 * The shipped {@code conf/follow_primary.sh} (and {@code conf/failover.sh}) in front of a real
 * primary and two synchronous standbys, behind one vxpool JVM with its admin API: the primary is
 * killed under writes, vxpool promotes node 1 with failover.sh and runs follow_primary.sh for node
 * 2, which must rewind it, keep its own port and configuration, make it stream from node 1 under
 * its application_name and attach it again through vxpoolctl. The killed primary then rejoins
 * through the pg_basebackup fallback; a switchover makes vxpool run the script for the old
 * primary; run by hand, the script refuses a down node and leaves following nodes alone. The
 * script's settings come from vxpool's environment, as an operator may set them.
 */
class FollowPrimaryScriptTest {
    private static final String ADMIN = "admin";
    private static final String PASSWORD = "follow-me";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Path CONF = Path.of("").toAbsolutePath().resolveSibling("conf");
    private static final String FOLLOW_ARGS = " %d %h %p %D %m %H %M %P %r %R %N %S";

    private final AdminHttp admin = new AdminHttp(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(),
            ADMIN, PASSWORD);
    private final StartedNodes started = new StartedNodes();

    @TempDir
    Path dir;

    @AfterEach
    void killEverything() {
        started.close();
    }

    @Test
    void afterAPrimaryKillTheOtherStandbyFollowsTheNewPrimaryAndIsAttachedAgain() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(2).synchronous(true).start()) {
            NodeFiles vx = startVxpool(pg);
            pg.primary().execute("CREATE TABLE ledger(id bigint PRIMARY KEY)");
            // May CHECKPOINT, create slots and read the settings, but not call pg_rewind's functions (for the rejoin below).
            pg.primary().execute("CREATE ROLE follower LOGIN REPLICATION PASSWORD 'follower-pw'"
                    + " IN ROLE pg_checkpoint, pg_read_all_settings, pg_read_all_stats");
            Set<Long> acknowledged;
            try (LedgerWriters writers = new LedgerWriters(url(vx), pg.user(), pg.password(), 3)) {
                awaitWrites(writers, 200);
                pg.node(0).kill();
                long killedAt = System.nanoTime();
                awaitView(vx, v -> "DOWN".equals(status(v, 0)) && "PRIMARY".equals(role(v, 1)));
                Waits.until(WAIT, "every writer writes again after the failover", () -> writers.everyWriterSucceededSince(killedAt));
                writers.close();
                acknowledged = writers.acknowledgedIds();
            }
            String log = awaitFollowScript(vx, 1);
            assertThat(log).contains("follow_primary_command: exited with status 0",
                    "follow_primary.sh: node 2: application_name node2, no slot",
                    "follow_primary.sh: node 2: pg_rewind from 127.0.0.1:" + pg.node(1).port(),
                    "follow_primary.sh: node 2: done: node 2 is a standby of node 1 and attached",
                    "failback done. reconnect host 127.0.0.1(" + pg.node(2).port() + ")");
            assertThat(log).containsAnyOf("servers diverged at WAL location", "no rewind required");

            PgNode newPrimary = pg.node(1);
            PgNode follower = pg.node(2);
            assertThat(newPrimary.queryValue("SELECT state FROM pg_stat_replication WHERE application_name = 'node2'"))
                    .isEqualTo("streaming");
            assertThat(follower.isInRecovery()).isTrue();
            assertThat(follower.queryValue("SELECT sender_port FROM pg_stat_wal_receiver"))
                    .isEqualTo(String.valueOf(newPrimary.port()));
            // pg_rewind copied node 1's files; the node's own settings are back.
            assertThat(follower.queryValue("SHOW port")).isEqualTo(String.valueOf(follower.port()));
            assertThat(follower.queryValue("SHOW cluster_name")).isEqualTo("node2");

            awaitView(vx, v -> "UP".equals(status(v, 2)) && "STANDBY".equals(role(v, 2)));
            List<Map<String, String>> nodes = ClusteredRecoveryTest.poolNodes(pg, vx);
            assertThat(nodes.get(2)).containsEntry("status", "up").containsEntry("role", "standby")
                    .containsEntry("port", String.valueOf(follower.port()));
            assertThat(nodes.get(1)).containsEntry("role", "primary");
            assertThat(nodes.get(0)).containsEntry("status", "down");

            // Synchronous again, under the name the script kept: a commit on node 1 waits for node 2.
            newPrimary.execute("ALTER SYSTEM SET synchronous_standby_names = 'node2'");
            newPrimary.queryValue("SELECT pg_reload_conf()");
            Waits.until(WAIT, "node2 is node 1's synchronous standby", () -> "sync".equals(newPrimary.queryValue(
                    "SELECT coalesce(max(sync_state), '') FROM pg_stat_replication WHERE application_name = 'node2'")));
            try (Connection c = InProcessVxpool.connect(url(vx), pg); Statement st = c.createStatement()) {
                st.execute("INSERT INTO ledger VALUES (-1)");
            }
            follower.waitForReplay(newPrimary);
            assertThat(follower.queryValue("SELECT count(*) FROM ledger WHERE id = -1")).isEqualTo("1");

            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(200);
            assertNothingLost(newPrimary, acknowledged);
            assertNothingLost(follower, acknowledged);

            rejoinTheOldPrimaryThroughPgBasebackup(pg, vx, acknowledged);
        }
    }

    /**
     * The killed primary is started again (a primary on the old timeline, detached) and followed
     * by hand with a role that pg_rewind cannot use: the script falls back to pg_basebackup,
     * streams through a slot, keeps the node's port and name, and attaches it.
     */
    private void rejoinTheOldPrimaryThroughPgBasebackup(PgCluster pg, NodeFiles vx, Set<Long> acknowledged) throws Exception {
        PgNode old = pg.node(0);
        PgNode newPrimary = pg.node(1);
        old.start();
        ProcessResult rejoin = runScript(pg, vx, 0, 1,
                Map.of("SUPERUSER", "follower", "PGPASSWORD", "follower-pw", "REPL_SLOT", "yes"));
        assertThat(rejoin.exitCode()).as(rejoin.output()).isZero();
        assertThat(rejoin.stderr()).contains("node 0: application_name node0, slot vxpool_node0",
                "node 0: pg_rewind failed; replacing the contents of " + old.dataDir(),
                "node 0: done: node 0 is a standby of node 1 and attached");
        assertThat(newPrimary.queryValue("SELECT state FROM pg_stat_replication WHERE application_name = 'node0'"))
                .isEqualTo("streaming");
        assertThat(newPrimary.queryValue("SELECT active FROM pg_replication_slots WHERE slot_name = 'vxpool_node0'"))
                .isEqualTo("t");
        assertThat(old.isInRecovery()).isTrue();
        assertThat(old.queryValue("SHOW port")).isEqualTo(String.valueOf(old.port()));
        assertThat(old.queryValue("SHOW cluster_name")).isEqualTo("node0");
        awaitView(vx, v -> "UP".equals(status(v, 0)) && "STANDBY".equals(role(v, 0)));
        old.waitForReplay(newPrimary);
        assertNothingLost(old, acknowledged);
    }

    /**
     * Run by hand (as an operator would) for the three other cases: a node that is down fails with
     * the reason and stays detached; the primary itself and a standby that already streams from it
     * are left alone, which is what makes a second run harmless.
     */
    @Test
    void aDownNodeFailsClearlyAndStaysDetachedWhileFollowingNodesAreLeftAlone() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(2).start()) {
            NodeFiles vx = startVxpool(pg);
            pg.node(2).stop();
            awaitView(vx, v -> "DOWN".equals(status(v, 2)));

            ProcessResult down = runScript(pg, vx, 2, 0);
            assertThat(down.exitCode()).as(down.output()).isEqualTo(1);
            assertThat(down.stderr()).contains("follow_primary.sh: node 2: ERROR: 127.0.0.1:" + pg.node(2).port()
                    + " does not accept connections");
            assertThat(pg.node(2).isRunning()).isFalse();
            Thread.sleep(2000);
            assertThat(ClusteredRecoveryTest.poolNodes(pg, vx).get(2)).containsEntry("status", "down");

            ProcessResult primary = runScript(pg, vx, 0, 0);
            assertThat(primary.exitCode()).as(primary.output()).isZero();
            assertThat(primary.stderr()).contains("follow_primary.sh: node 0: is the new primary; nothing to do");

            ProcessResult following = runScript(pg, vx, 1, 0);
            assertThat(following.exitCode()).as(following.output()).isZero();
            assertThat(following.stderr()).contains("node 1: already streams from 127.0.0.1:" + pg.node(0).port(),
                    "node 1: vxpoolctl attach 1: node 1 is already up");
            assertThat(ClusteredRecoveryTest.poolNodes(pg, vx).get(1)).containsEntry("status", "up");
        }
    }

    /**
     * {@code vxpoolctl promote 1 -s}'s REST call: vxpool runs the script for the old primary, which
     * still runs as a primary and is detached (pg_rewind of a cleanly stopped primary), and for the
     * other standby.
     */
    @Test
    void afterASwitchoverTheOldPrimaryAndTheOtherStandbyFollowTheNewPrimary() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(2).start()) {
            NodeFiles vx = startVxpool(pg);
            pg.primary().execute("CREATE TABLE t(x int); INSERT INTO t VALUES (1)");
            var promote = admin.send(vx, "POST", "/api/v1/nodes/1/promote?switchover=true", true);
            assertThat(promote.statusCode()).as(promote.body()).isEqualTo(200);

            String log = awaitFollowScript(vx, 2);
            assertThat(log).doesNotContain("follow_primary_command: exited with status 1").contains(
                    "follow_primary.sh: node 0: application_name node0, no slot",
                    "follow_primary.sh: node 0: vxpoolctl detach 0: node 0 is already down",
                    "follow_primary.sh: node 0: done: node 0 is a standby of node 1 and attached",
                    "follow_primary.sh: node 2: done: node 2 is a standby of node 1 and attached");
            awaitView(vx, v -> "PRIMARY".equals(role(v, 1)) && "UP".equals(status(v, 0)) && "STANDBY".equals(role(v, 0))
                    && "UP".equals(status(v, 2)) && "STANDBY".equals(role(v, 2)));
            PgNode newPrimary = pg.node(1);
            newPrimary.execute("INSERT INTO t VALUES (2)");
            for (PgNode standby : List.of(pg.node(0), pg.node(2))) {
                assertThat(newPrimary.queryValue("SELECT state FROM pg_stat_replication WHERE application_name = '"
                        + standby.applicationName() + "'")).as(standby.toString()).isEqualTo("streaming");
                assertThat(standby.queryValue("SHOW port")).isEqualTo(String.valueOf(standby.port()));
                standby.waitForReplay(newPrimary);
                assertThat(standby.queryValue("SELECT string_agg(x::text, ',' ORDER BY x) FROM t")).isEqualTo("1,2");
            }
        }
    }

    private NodeFiles startVxpool(PgCluster pg) throws Exception {
        NodeFiles vx = NodeFiles.allocate(dir, "vx");
        List<String> settings = vx.writeAuthFiles(pg, ADMIN, PASSWORD);
        settings.addAll(List.of(
                "load_balance_mode = off",
                "search_primary_node_timeout = 30",
                "failover_command = '" + CONF.resolve("failover.sh") + " %d %h %p %D %m %H %M %P %r %R'",
                "follow_primary_command = '" + CONF.resolve("follow_primary.sh") + FOLLOW_ARGS + "'"));
        for (PgNode n : pg.nodes()) {
            settings.add("backend_data_directory" + n.id() + " = '" + n.dataDir() + "'");
            settings.add("backend_application_name" + n.id() + " = '" + n.applicationName() + "'");
        }
        vx.writeConfig(false, List.of(), pg.nodes().stream().map(PgNode::port).toList(), settings);
        started.start(vx, scriptEnvironment(pg, vx));
        awaitView(vx, v -> "PRIMARY".equals(role(v, 0)) && "UP".equals(status(v, 1)) && "UP".equals(status(v, 2)));
        return vx;
    }

    /** What an operator puts in vxpool's environment (or follow_primary.env) for both scripts. */
    private static Map<String, String> scriptEnvironment(PgCluster pg, NodeFiles vx) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGBIN", pg.binaries().bindir().toString());
        env.put("PGUSER_OS", pg.osUser().name());
        env.put("SUPERUSER", pg.user());
        env.put("PGPASSWORD", pg.password());
        // The fixture lets the servers' OS user replicate from 127.0.0.1 without a password.
        env.put("REPLUSER", pg.osUser().name());
        env.put("STARTUP_LOG", pg.dir().resolve("follow-startup.log").toString());
        env.put("VXPOOLCTL", CONF.resolveSibling("bin").resolve("vxpoolctl").toString());
        env.put("VXPOOLCTL_CLASSPATH", VxpoolProcess.testClassPath());
        env.put("PCP_HOST", "127.0.0.1");
        env.put("PCP_PORT", String.valueOf(vx.adminPort()));
        env.put("PCP_USER", ADMIN);
        env.put("VXPOOL_PASSWORD", PASSWORD);
        return env;
    }

    /** {@code follow_primary.sh} for {@code node} following {@code primary}, old primary 0, as vxpool expands it. */
    private static ProcessResult runScript(PgCluster pg, NodeFiles vx, int node, int primary) {
        return runScript(pg, vx, node, primary, Map.of());
    }

    /** The same with {@code overrides} in its environment. */
    private static ProcessResult runScript(PgCluster pg, NodeFiles vx, int node, int primary, Map<String, String> overrides) {
        PgNode n = pg.node(node);
        PgNode p = pg.node(primary);
        PgNode old = pg.node(0);
        Processes.Command command = Processes.command(CONF.resolve("follow_primary.sh").toString(), String.valueOf(node),
                        n.host(), String.valueOf(n.port()), n.dataDir().toString(), String.valueOf(primary), p.host(), "0", "0",
                        String.valueOf(p.port()), p.dataDir().toString(), old.host(), String.valueOf(old.port()))
                .timeout(Duration.ofSeconds(180));
        scriptEnvironment(pg, vx).forEach(command::env);
        overrides.forEach(command::env);
        ProcessResult result = command.run();
        System.out.println("---- follow_primary.sh for node " + node + " (exit " + result.exitCode() + ")\n" + result.output());
        return result;
    }

    private static String url(NodeFiles vx) {
        return "jdbc:postgresql://127.0.0.1:" + vx.proxyPort() + "/postgres";
    }

    /** Waits until vxpool logged the end of {@code runs} follow scripts; returns the whole log. */
    private static String awaitFollowScript(NodeFiles vx, int runs) {
        Path file = vx.logdir().resolve("vxpool.log");
        Waits.until(Duration.ofSeconds(180), "follow_primary_command has run " + runs + " time(s)",
                () -> read(file).split("follow_primary_command: exited", -1).length > runs, () -> read(file));
        String log = read(file);
        System.out.println("---- vxpool.log, follow_primary_command lines\n" + log.lines()
                .filter(l -> l.contains("follow_primary") || l.contains("pg_rewind") || l.contains("failover") || l.contains("failback"))
                .reduce((a, b) -> a + "\n" + b).orElse(""));
        return log;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static void awaitWrites(LedgerWriters writers, int more) {
        long target = writers.acknowledged() + more;
        Waits.until(WAIT, more + " more acknowledged writes", () -> writers.acknowledged() >= target);
    }

    private static void assertNothingLost(PgNode node, Set<Long> acknowledged) {
        Set<Long> present = new HashSet<>();
        node.query("SELECT id FROM ledger").forEach(r -> present.add(Long.parseLong(r.get(0))));
        Set<Long> lost = new HashSet<>(acknowledged);
        lost.removeAll(present);
        assertThat(lost).as("acknowledged writes missing on %s", node).isEmpty();
    }

    private JsonObject awaitView(NodeFiles vx, Predicate<JsonObject> condition) throws Exception {
        return admin.awaitJson(vx, "/api/v1/view", condition, WAIT);
    }

    private static String status(JsonObject view, int id) {
        return view.getJsonArray("nodes").getJsonObject(id).getString("status");
    }

    private static String role(JsonObject view, int id) {
        return view.getJsonArray("nodes").getJsonObject(id).getString("role");
    }
}
