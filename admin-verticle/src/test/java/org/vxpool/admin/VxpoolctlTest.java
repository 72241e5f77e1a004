package org.vxpool.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.testkit.FreePorts;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/** bin/vxpoolctl, the script itself, against a running node. */
class VxpoolctlTest {

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1));

    @TempDir
    static Path dir;

    static RunningNode node;
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        node = new RunningNode(PG.cluster(), dir.resolve("node"));
        home = Files.createDirectories(dir.resolve("home"));
        node.awaitNodes(rows -> rows.size() == 2 && "primary".equals(rows.getJsonObject(0).getString("role")), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    record Run(int exit, String out, String err) {
    }

    /** The script with the password in VXPOOL_PASSWORD (null: not set) and HOME in a temp dir. */
    static Run vxpoolctl(String password, String... args) throws Exception {
        Path script = Path.of(System.getProperty("user.dir")).resolveSibling("bin").resolve("vxpoolctl");
        List<String> command = new ArrayList<>(List.of(script.toString(), "-h", "127.0.0.1", "-p",
                Integer.toString(node.adminPort), "-U", RunningNode.USER));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("VXPOOLCTL_CLASSPATH", System.getProperty("java.class.path"));
        env.put("HOME", home.toString());
        env.remove("VXPOOL_PASSWORD");
        if (password != null) {
            env.put("VXPOOL_PASSWORD", password);
        }
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void nodeCountAndNodeInfoPrintLikePcpTools() throws Exception {
        Run count = vxpoolctl(null, "node-count");
        assertThat(count.exit()).as(count.err()).isZero();
        assertThat(count.out()).isEqualTo("2\n");

        Run one = vxpoolctl(null, "node-info", "1");
        assertThat(one.exit()).as(one.err()).isZero();
        assertThat(one.out()).matches("127\\.0\\.0\\.1 " + PG.cluster().node(1).port()
                + " (1 0\\.500000 waiting|2 0\\.500000 up) up standby standby \\d+ (none none|streaming async) (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)?\n");

        Run all = vxpoolctl(null, "node-info");
        assertThat(all.out().lines()).hasSize(2);
        assertThat(all.out().lines().findFirst().orElseThrow()).contains(" primary primary ");

        Run verbose = vxpoolctl(null, "node-info", "0", "-v");
        assertThat(verbose.out()).contains("Hostname               : 127.0.0.1\n", "Status Name            : up\n",
                "Role                   : primary\n");
    }

    @Test
    void detachAndAttachWithThePasswordFromTheEnvironment() throws Exception {
        Run detach = vxpoolctl(RunningNode.PASSWORD, "detach", "1");
        assertThat(detach.exit()).as(detach.err()).isZero();
        assertThat(detach.out()).startsWith("vxpoolctl detach -- Command Successful\n");
        assertThat(vxpoolctl(null, "node-info", "1").out()).contains(" 3 0.500000 down ");

        Run again = vxpoolctl(RunningNode.PASSWORD, "detach", "1");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("ERROR: node 1 is already down\n");

        Run attach = vxpoolctl(RunningNode.PASSWORD, "attach", "1");
        assertThat(attach.exit()).as(attach.err()).isZero();
        node.awaitNodes(r -> "up".equals(r.getJsonObject(1).getString("status")), Duration.ofSeconds(10));

        Run attachAgain = vxpoolctl(RunningNode.PASSWORD, "attach", "1");
        assertThat(attachAgain.exit()).isEqualTo(1);
        assertThat(attachAgain.err()).isEqualTo("ERROR: node 1 is already up\n");
    }

    /**
     * pcp_detach_node -g: the detach waits until every client has left the proxies (a real JDBC
     * session here), then happens; -g with another command is a usage error.
     */
    @Test
    void detachGracefullyWaitsUntilTheLastClientHasDisconnected() throws Exception {
        Run misuse = vxpoolctl(RunningNode.PASSWORD, "attach", "1", "-g");
        assertThat(misuse.exit()).isEqualTo(2);
        assertThat(misuse.err()).startsWith("vxpoolctl: -g only applies to detach and promote\n");

        CompletableFuture<Run> detach;
        try (Connection client = node.connect(PG.cluster())) {
            client.createStatement().execute("SELECT 1");
            detach = waiting("detach", "1", "-g");
            Thread.sleep(1000);
            assertThat(detach).as("still waiting for the JDBC session").isNotDone();
            assertThat(vxpoolctl(null, "node-info", "1").out()).doesNotContain(" down ");
        }
        Run done = detach.get(60, TimeUnit.SECONDS);
        assertThat(done.exit()).as(done.err()).isZero();
        assertThat(done.out()).isEqualTo("vxpoolctl detach -- Command Successful\nnode 1 detached\n");
        assertThat(vxpoolctl(null, "node-info", "1").out()).contains(" 3 0.500000 down ");

        assertThat(vxpoolctl(RunningNode.PASSWORD, "attach", "1").exit()).isZero();
        node.awaitNodes(r -> "up".equals(r.getJsonObject(1).getString("status")), Duration.ofSeconds(10));
    }

    /**
     * pcp_promote_node -g: the promote (roles only, no -s) waits until every client has left,
     * then swaps the roles in the view; a new client arriving meanwhile is held, not counted.
     */
    @Test
    void promoteGracefullyWaitsUntilTheLastClientHasDisconnected() throws Exception {
        CompletableFuture<Run> promote;
        CompletableFuture<Connection> late;
        try (Connection client = node.connect(PG.cluster())) {
            client.createStatement().execute("SELECT 1");
            promote = waiting("promote", "1", "-g");
            late = CompletableFuture.supplyAsync(() -> {
                try {
                    return node.connect(PG.cluster());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            JsonObject held = node.awaitSessions(s -> s.getJsonObject("sessions").getInteger("held", 0) == 1,
                    Duration.ofSeconds(30));
            assertThat(held.getInteger("clients")).as("a held client is not counted").isEqualTo(1);
            assertThat(promote).as("still waiting for the JDBC session").isNotDone();
            assertThat(node.awaitNodes(r -> true, Duration.ofSeconds(5)).getJsonObject(1).getString("role")).isEqualTo("standby");
        }
        Run done = promote.get(60, TimeUnit.SECONDS);
        assertThat(done.exit()).as(done.err()).isZero();
        assertThat(done.out()).isEqualTo("vxpoolctl promote -- Command Successful\nnode 1 is now the primary\n");
        node.awaitNodes(r -> "primary".equals(r.getJsonObject(1).getString("role")), Duration.ofSeconds(10));
        try (Connection heldOne = late.get(30, TimeUnit.SECONDS)) {
            assertThat(heldOne.isValid(5)).isTrue();
        }

        assertThat(vxpoolctl(RunningNode.PASSWORD, "promote", "0").exit()).isZero();
        node.awaitNodes(r -> "primary".equals(r.getJsonObject(0).getString("role")), Duration.ofSeconds(10));
    }

    /** Starts {@code vxpoolctl args} in the background; returns once the Active node waits for the clients. */
    private CompletableFuture<Run> waiting(String... args) throws Exception {
        ch.qos.logback.classic.Logger graceful = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger("org.vxpool.watchdog.failover.GracefulRequests");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
                new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        graceful.addAppender(seen);
        try {
            CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return vxpoolctl(RunningNode.PASSWORD, args);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seen.list.stream().noneMatch(e -> e.getFormattedMessage().contains("waiting for every client to disconnect"))) {
                assertThat(System.nanoTime()).as("the Active node waits for the clients").isLessThan(deadline);
                Thread.sleep(100);
            }
            return run;
        } finally {
            graceful.detachAppender(seen);
        }
    }

    @Test
    void thePasswordFileIsUsedAndWrongCredentialsExitWith4() throws Exception {
        Run wrong = vxpoolctl("nope", "detach", "1");
        assertThat(wrong.exit()).isEqualTo(4);
        assertThat(wrong.err()).isEqualTo("ERROR: authentication failed for user \"admin\"\n");
        assertThat(vxpoolctl(null, "reload").exit()).isEqualTo(4);

        Path pass = home.resolve(".vxpoolpass");
        Files.writeString(pass, "otherhost:*:admin:wrong\n127.0.0.1:" + node.adminPort + ":admin:" + RunningNode.PASSWORD + "\n");
        try {
            Run reload = vxpoolctl(null, "reload");
            assertThat(reload.exit()).as(reload.err()).isZero();
            assertThat(reload.out()).isEqualTo("vxpoolctl reload -- Command Successful\nnothing changed\n");
        } finally {
            Files.delete(pass);
        }
    }

    @Test
    void refusalsUsageErrorsAndUnreachableNodesHaveTheirExitCodes() throws Exception {
        Run missing = vxpoolctl(null, "node-info", "9");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("ERROR: no such backend node: 9 (nodes are 0..1)\n");

        Run recover = vxpoolctl(RunningNode.PASSWORD, "recover", "1");
        assertThat(recover.exit()).isEqualTo(1);
        assertThat(recover.err()).contains("node 1 is up; only a down node can be recovered");

        Run watchdog = vxpoolctl(null, "watchdog-info");
        assertThat(watchdog.exit()).isEqualTo(1);
        assertThat(watchdog.err()).contains("use_watchdog = off");

        Run usage = vxpoolctl(null, "detach");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("detach needs one node id");
        assertThat(vxpoolctl(null, "frobnicate").exit()).isEqualTo(2);

        int closed = FreePorts.find();
        Run unreachable = vxpoolctl(null, "node-count", "-p", Integer.toString(closed));
        assertThat(unreachable.exit()).isEqualTo(3);
        assertThat(unreachable.err()).startsWith("ERROR: connection to 127.0.0.1:" + closed + " failed");
    }
}
