package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.common.config.AesPasswords;
import org.vxpool.testkit.ProcessResult;
import org.vxpool.testkit.Processes;

/** A node that cannot start says why in one line, exits non-zero and leaves nothing behind. */
class StartFailureTest {

    @TempDir
    Path dir;

    private final StartedNodes nodes = new StartedNodes();

    @AfterEach
    void killEverything() {
        nodes.close();
    }

    @Test
    void aBrokenConfigListsEveryProblemAndStartsNothing() throws Exception {
        NodeFiles node = NodeFiles.allocate(dir, "broken");
        Path config = node.config();
        Files.write(config, List.of(
                "# three mistakes, each must be reported with its line",
                "port = 99999",
                "backend_clustering_mode = 'sideways'",
                "num_init_children = many",
                "pid_file_name = '" + node.pidFile() + "'",
                "admin_port = " + node.adminPort()));

        ProcessResult result = VxpoolProcess.launcher("-f", config.toString()).run();

        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.stderr())
                .contains(config + ":2: port: ")
                .contains(config + ":3: backend_clustering_mode: ")
                .contains(config + ":4: num_init_children: ")
                .contains("backend_hostname0");
        assertThat(node.pidFile()).doesNotExist();
        assertThat(VxpoolProcess.health(node.healthUrl())).isEmpty();
    }

    /**
     * One bad value of every value type in one file, through the launcher: every line is listed,
     * the exit code is 2 and nothing listens. common's EveryParameterBadValueTest does the same
     * for every registered parameter, without a process.
     */
    @Test
    void aBadValueOfEveryTypeIsListedByTheLauncher() throws Exception {
        NodeFiles node = NodeFiles.allocate(dir, "types");
        Path config = node.config();
        List<String> bad = List.of(
                "load_balance_mode = maybe",                    // boolean
                "num_init_children = 0",                        // integer below its minimum
                "max_pool = 'four'",                            // integer
                "port = 70000",                                 // port
                "authentication_timeout = '5 lightyears'",      // duration in seconds, unknown unit
                "connect_timeout = -5",                         // duration in milliseconds
                "delay_threshold = '10 parsecs'",               // byte size
                "max_message_length = 100",                     // byte size below its minimum
                "backend_weight0 = 'heavy'",                    // real, per node
                "backend_flag0 = 'ALWAYS_FAILOVER'",            // backend flag set
                "log_min_messages = shouting",                  // enum
                "pool_mode = 'statement-ish'",                  // enum
                "listen_addresses = '127.0.0.1",                // list, unterminated quote
                "failover_command = 'unterminated",             // string, unterminated quote
                "health_check_period0 = -1",                    // per-node override of a global duration
                "heartbeat_port0 = 0",                          // watchdog, indexed port
                "wd_priority = high",                           // watchdog integer
                "no_such_parameter = 1",                        // unknown key
                "= 5");                                         // syntax
        List<String> lines = new java.util.ArrayList<>(List.of(
                "backend_hostname0 = '127.0.0.1'",
                "pid_file_name = '" + node.pidFile() + "'",
                "admin_port = " + node.adminPort()));
        lines.addAll(bad);
        Files.write(config, lines);

        ProcessResult result = VxpoolProcess.launcher("-f", config.toString()).run();

        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        for (int i = 0; i < bad.size(); i++) {
            String key = bad.get(i).split("=")[0].trim();
            String where = config + ":" + (i + 4) + ": " + (key.isEmpty() ? "" : key + ": ");
            assertThat(result.stderr()).as("line %d: %s", i + 4, bad.get(i)).contains(where);
        }
        assertThat(node.pidFile()).doesNotExist();
        assertThat(VxpoolProcess.health(node.healthUrl())).isEmpty();
    }

    @Test
    void aMissingHbaFileGivenWithDashAIsABadCommandLine() throws Exception {
        NodeFiles node = NodeFiles.allocate(dir, "hba");
        node.writeConfig(false, List.of());
        Path missing = dir.resolve("no_pool_hba.conf");

        ProcessResult result = VxpoolProcess.launcher("-f", node.config().toString(), "-a", missing.toString()).run();

        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.stderr()).contains("vxpool: -a " + missing + ": no such readable file");
        assertThat(node.pidFile()).doesNotExist();
    }

    /**
     * pool_passwd is read at start whenever it exists, as pgpool reads it, not only when client
     * authentication uses it: a bad line stops the start like a bad configuration line.
     */
    @Test
    void aMalformedPoolPasswdStopsTheStartEvenWithoutPoolHba() throws Exception {
        NodeFiles node = NodeFiles.allocate(dir, "passwd");
        node.writeConfig(false, List.of());
        Path passwd = node.config().resolveSibling("pool_passwd");
        Files.write(passwd, List.of("alice:TEXTalice-secret", "bob"));

        ProcessResult result = VxpoolProcess.launcher("-f", node.config().toString()).run();

        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.stderr()).contains(passwd + ":2: expected user:password\n",
                "vxpool: 1 problem in pool_passwd / pool_hba.conf").doesNotContain("Exception");
        assertThat(node.pidFile()).doesNotExist();
        assertThat(VxpoolProcess.health(node.healthUrl())).isEmpty();
    }

    /**
     * A pgpool user's pool_passwd made with {@code pg_enc -m}: without the key (here a {@code -k}
     * file that is not there, or holds another key) the start stops naming the key file; with it
     * the node starts.
     */
    @Test
    void anAesPoolPasswdStartsWithItsKeyAndOnlyWithIt() throws Exception {
        NodeFiles node = NodeFiles.allocate(dir, "aes");
        node.writeConfig(true, List.of());
        Path passwd = node.config().resolveSibling("pool_passwd");
        Files.write(passwd, List.of("alice:" + AesPasswords.encrypt("alice-secret", "the key")));
        Path key = dir.resolve("pgpoolkey");

        ProcessResult noKey = VxpoolProcess.launcher("-f", node.config().toString(), "-k", key.toString()).run();
        assertThat(noKey.exitCode()).as(noKey.output()).isEqualTo(2);
        assertThat(noKey.stderr()).contains(passwd + ":1: user \"alice\": AES-encrypted password, but no key to"
                + " decrypt it: no key file " + key + " (-k)\n").doesNotContain("Exception");

        Files.writeString(key, "another key\n");
        ProcessResult wrongKey = VxpoolProcess.launcher("-f", node.config().toString(), "-k", key.toString()).run();
        assertThat(wrongKey.exitCode()).as(wrongKey.output()).isEqualTo(2);
        assertThat(wrongKey.stderr()).contains(passwd + ":1: user \"alice\": cannot decrypt the AES-encrypted"
                + " password with pgpool's key").doesNotContain("alice-secret");
        assertThat(node.pidFile()).doesNotExist();

        Files.writeString(key, "the key\n");
        nodes.start(node, "-k", key.toString());
        VxpoolProcess.awaitMembers(node.healthUrl(), 1, Duration.ofSeconds(60));
    }

    @Test
    void aBusyAdminPortFailsTheStartWithOneClearLine() throws Exception {
        busyPortFailsTheStart("busy", NodeFiles::adminPort);
    }

    @Test
    void aBusyProxyPortFailsTheStartWithOneClearLine() throws Exception {
        busyPortFailsTheStart("busyproxy", NodeFiles::proxyPort);
    }

    private void busyPortFailsTheStart(String name, java.util.function.ToIntFunction<NodeFiles> portOf) throws Exception {
        NodeFiles node = NodeFiles.allocate(dir, name);
        node.writeConfig(false, List.of());
        int port = portOf.applyAsInt(node);
        try (ServerSocket busy = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            ProcessResult result = VxpoolProcess.launcher("-f", node.config().toString()).run();

            assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
            assertThat(result.output())
                    .contains("could not listen on 127.0.0.1:" + port + ": address already in use")
                    .doesNotContain("Exception");
        }
        assertThat(node.pidFile()).doesNotExist();
    }


    /** The JVM properties the launcher reads: a bad value is a bad command line, not a stack trace. */
    @Test
    void aBadEventLoopCountOrAcceptSwitchIsABadCommandLine() throws Exception {
        NodeFiles node = NodeFiles.allocate(dir, "loops");
        node.writeConfig(false, List.of());
        List<String[]> cases = List.of(
                new String[] {"-Dvxpool.event_loops=0", "a positive number of event loops expected"},
                new String[] {"-Dvxpool.event_loops=-3", "a positive number of event loops expected"},
                new String[] {"-Dvxpool.event_loops=two", "a positive number of event loops expected"},
                new String[] {"-Dvxpool.accept_on_event_loop=yes", "true or false expected"});
        for (String[] c : cases) {
            List<String> argv = new java.util.ArrayList<>(VxpoolProcess.launcherCommand("-f", node.config().toString()));
            argv.add(1, c[0]);

            ProcessResult result = Processes.command(argv).timeout(Duration.ofSeconds(90)).run();

            assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
            assertThat(result.stderr())
                    .contains("vxpool: " + c[0] + ": " + c[1])
                    .doesNotContain("Exception");
            assertThat(node.pidFile()).doesNotExist();
        }
    }

    @Test
    void aSecondNodeOnTheSamePortsIsRefused() throws Exception {
        NodeFiles first = NodeFiles.allocate(dir, "first");
        first.writeConfig(true, List.of());
        Processes.Spawned running = nodes.start(first);
        VxpoolProcess.awaitMembers(first.healthUrl(), 1, Duration.ofSeconds(60));

        // Same ports, but its own pid file, so the ports themselves must stop it.
        NodeFiles second = new NodeFiles("second", Files.createDirectories(dir.resolve("second")),
                first.proxyPort(), first.wdPort(), first.adminPort());
        second.writeConfig(true, List.of());
        ProcessResult result = VxpoolProcess.launcher("-f", second.config().toString()).run();

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output())
                .contains("could not listen on 127.0.0.1:" + first.wdPort() + ": address already in use (wd_port)")
                .doesNotContain("Exception");
        assertThat(second.pidFile()).doesNotExist();
        assertThat(running.isAlive()).isTrue();

        // The same config twice: the pid file names a live node.
        ProcessResult again = VxpoolProcess.launcher("-f", first.config().toString()).run();
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("pid file " + first.pidFile() + " names process " + running.pid()
                + ", which is still running");
        assertThat(first.pidFile()).hasContent(Long.toString(running.pid()));
    }
}
