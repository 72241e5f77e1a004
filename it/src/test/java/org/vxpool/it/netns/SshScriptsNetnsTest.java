package org.vxpool.it.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vxpool.admin.auth.PcpAuthFile;
import org.vxpool.it.VxpoolProcess;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.netns.NetnsLab;

/**
 * The ssh path of the shipped {@code conf/failover.sh} and {@code conf/follow_primary.sh}, for
 * real: the tutorial's primary on {@code osspc19} and standby on {@code osspc20} (see
 * {@link TutorialNetwork}), one vxpool on {@code osspc19} whose {@code failover_command} and
 * {@code follow_primary_command} are the shipped scripts, and a real OpenSSH {@code sshd} on
 * {@code osspc20} (see {@link LabSshd}) that lets the PostgreSQL OS user in with a fresh key given
 * to the scripts through {@code SSH_OPTIONS}. A node on osspc20 is not on the host the scripts run
 * on, so they reach it over ssh:
 * <ol>
 *   <li>switchover to node 1: failover.sh promotes osspc20's standby over ssh; node 0 (local)
 *       follows it;
 *   <li>switchover back to node 0: failover.sh promotes it locally; follow_primary.sh rewinds,
 *       restarts and attaches node 1 on osspc20, every step over ssh.
 * </ol>
 * The remote psql, pg_rewind and pg_ctl calls take the password from the file the script's header
 * asks for ({@code ~/.pgpass} of the OS user there; here the sshd sets {@code PGPASSFILE} instead,
 * so that the test leaves the real home alone). Every write acknowledged through the delegate IP
 * must be on both servers at the end.
 */
class SshScriptsNetnsTest extends NetnsTestBase {

    private static final String OSSPC19 = "osspc19";
    private static final String OSSPC20 = "osspc20";
    private static final int SSH_PORT = 2222;
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "ssh-path";
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final String FOLLOW_ARGS = " %d %h %p %D %m %H %M %P %r %R %N %S";
    /** A switchover with a pg_rewind and two server restarts on a loaded 2-core machine. */
    private static final Duration SCRIPTS_TIMEOUT = Duration.ofSeconds(90);

    private LabSshd sshd;

    @BeforeAll
    static void requireOpenSsh() {
        Assumptions.assumeTrue(Files.isExecutable(LabSshd.SSHD), LabSshd.SSHD + " is not installed (bin/install-deps "
                + "installs openssh-server)");
        NetnsLab.assumeProgram("ssh");
        NetnsLab.assumeProgram("ssh-keygen");
    }

    @Test
    void switchoversPromoteAndFollowTheNodeOnTheOtherHostOverSsh() throws Exception {
        net = TutorialNetwork.create(dir, List.of(OSSPC19), Set.of());
        PgCluster pg = net.cluster();
        String os = pg.osUser().name();
        String here = net.lab().addressOf(OSSPC19);
        // The OS user must read both files: its ~/.pgpass stand-in, and the key list sshd reads as that user.
        Path pgpass = pg.dir().resolve("pgpass");
        Files.writeString(pgpass, "*:*:*:" + pg.user() + ":" + pg.password() + "\n");
        pg.osUser().own(pgpass);
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        sshd = LabSshd.start(net.lab(), OSSPC20, SSH_PORT, dir.resolve("sshd"), os, pg.dir().resolve("authorized_keys"),
                Map.of("PGPASSFILE", pgpass.toString()));
        // The fixture gives the lab address on the server's command line; a server that the
        // scripts restart with pg_ctl reads only its files, as an operator's does.
        for (int id = 0; id < 2; id++) {
            Files.writeString(net.db(id).dataDir().resolve("postgresql.conf"), "listen_addresses = '"
                    + net.lab().addressOf(id == 0 ? OSSPC19 : OSSPC20) + "'\n", StandardOpenOption.APPEND);
        }
        configureScripts(pg);
        net.startVxpoolAndWait(OSSPC19);
        TutorialNetwork.waitFor("the IP on osspc19", TutorialNetwork.START_TIMEOUT,
                () -> net.holders().equals(List.of(OSSPC19)));
        net.awaitSamePoolNodes(List.of(OSSPC19), "up/primary", "up/standby");
        assertViaVip("CREATE TABLE ssh_path(step text); INSERT INTO ssh_path VALUES ('1 before') RETURNING step",
                "1 before");

        // Node 1 lives on osspc20: failover.sh promotes it over ssh.
        switchoverTo(1);
        String out = awaitFollowed(0);
        net.awaitSamePoolNodes(List.of(OSSPC19), "up/standby", "up/primary");
        assertThat(out).contains("failover.sh: promoting standby on " + sshd.address() + " in " + net.db(1).dataDir()
                + " over ssh", "failover.sh: done: node 1 is the new primary");
        assertThat(sshd.acceptedLogins(os, here)).as("sshd log:%n%s", sshd.log()).isEqualTo(1);
        assertThat(net.sqlOn(OSSPC20, "SELECT pg_is_in_recovery()").output().strip()).isEqualTo("f");
        assertViaVip("INSERT INTO ssh_path VALUES ('2 on node 1') RETURNING step", "2 on node 1");

        // Back to node 0, promoted locally; node 1 on osspc20 follows it, every step over ssh.
        switchoverTo(0);
        out = awaitFollowed(1);
        assertThat(out).contains("failover.sh: promoting local standby in " + net.db(0).dataDir(),
                "follow_primary.sh: node 1: pg_rewind from " + here + ":" + net.db(0).port(),
                "follow_primary.sh: node 1: done: node 1 is a standby of node 0 and attached");
        // At least: ready, follows?, app name, checkpoint, rewind and start, streaming.
        assertThat(sshd.acceptedLogins(os, here)).as("sshd log:%n%s", sshd.log()).isGreaterThanOrEqualTo(1 + 6);
        assertThat(sshd.log()).doesNotContain("Failed publickey", "not allowed");
        net.awaitSamePoolNodes(List.of(OSSPC19), "up/primary", "up/standby");

        assertThat(net.sqlOn(OSSPC19, "SELECT pg_is_in_recovery()").output().strip()).isEqualTo("f");
        assertThat(net.sqlOn(OSSPC20, "SELECT pg_is_in_recovery()").output().strip()).isEqualTo("t");
        assertThat(net.sqlOn(OSSPC20, "SELECT status || ' ' || sender_host || ' ' || sender_port FROM pg_stat_wal_receiver")
                .output().strip()).isEqualTo("streaming " + here + " " + net.db(0).port());
        assertThat(net.sqlOn(OSSPC19, "SELECT state FROM pg_stat_replication WHERE application_name = '"
                + net.db(1).applicationName() + "'").output().strip()).isEqualTo("streaming");
        // pg_rewind copied node 0's files; node 1 keeps its own port.
        assertThat(net.sqlOn(OSSPC20, "SHOW port").output().strip()).isEqualTo(String.valueOf(net.db(1).port()));

        assertViaVip("INSERT INTO ssh_path VALUES ('3 on node 0') RETURNING step", "3 on node 0");
        String all = "1 before,2 on node 1,3 on node 0";
        assertViaVip("SELECT string_agg(step, ',' ORDER BY step) FROM ssh_path", all);
        TutorialNetwork.waitFor("node 1 to replay every acknowledged write", Duration.ofSeconds(20), () -> all.equals(
                net.sqlOn(OSSPC20, "SELECT string_agg(step, ',' ORDER BY step) FROM ssh_path").output().strip()));
    }

    /**
     * Both shipped scripts with pgpool's arguments, and what an operator sets for them in vxpool's
     * environment; vxpoolctl (run by follow_primary.sh) logs in to the admin API as {@link #ADMIN}.
     */
    private void configureScripts(PgCluster pg) throws Exception {
        Files.writeString(net.hostDir(OSSPC19).resolve("pcp.conf"), ADMIN + ":" + PcpAuthFile.md5Hex(ADMIN_PASSWORD) + "\n");
        Path conf = ROOT.resolve("conf");
        net.appendConfig(OSSPC19, List.of(
                "# the shipped scripts promote and follow (SshScriptsNetnsTest)",
                "builtin_promote = off",
                "failover_command = '" + conf.resolve("failover.sh") + " %d %h %p %D %m %H %M %P %r %R'",
                "follow_primary_command = '" + conf.resolve("follow_primary.sh") + FOLLOW_ARGS + "'"));
        Map.ofEntries(
                Map.entry("SSH_OPTIONS", sshd.sshOptions()),
                Map.entry("PGBIN", pg.binaries().bindir().toString()),
                Map.entry("PGUSER_OS", pg.osUser().name()),
                Map.entry("SUPERUSER", pg.user()),
                // For the local node only: PGPASSWORD does not travel over ssh.
                Map.entry("PGPASSWORD", pg.password()),
                // The lab's pg_hba trusts replication connections from its subnet.
                Map.entry("REPLUSER", pg.osUser().name()),
                Map.entry("STARTUP_LOG", pg.dir().resolve("follow-startup.log").toString()),
                Map.entry("VXPOOLCTL", ROOT.resolve("bin/vxpoolctl").toString()),
                Map.entry("VXPOOLCTL_CLASSPATH", VxpoolProcess.testClassPath()),
                Map.entry("PCP_HOST", "127.0.0.1"),
                Map.entry("PCP_PORT", String.valueOf(TutorialNetwork.ADMIN_PORT)),
                Map.entry("PCP_USER", ADMIN),
                Map.entry("VXPOOL_PASSWORD", ADMIN_PASSWORD))
                .forEach(net::environment);
    }

    /** {@code vxpoolctl promote N -s} on osspc19, as an operator types it. */
    private void switchoverTo(int node) {
        NetnsLab.Result r = net.lab().exec(OSSPC19, "env", "VXPOOL_PASSWORD=" + ADMIN_PASSWORD,
                "VXPOOLCTL_CLASSPATH=" + VxpoolProcess.testClassPath(), ROOT.resolve("bin/vxpoolctl").toString(),
                "-h", "127.0.0.1", "-p", String.valueOf(TutorialNetwork.ADMIN_PORT), "-U", ADMIN,
                "promote", String.valueOf(node), "-s");
        // A failed failover_command makes vxpool search for a primary first: the reason is in the scripts' lines.
        assertThat(r.ok()).as("vxpoolctl promote %d -s: %s%n%s", node, r.output(), scriptLines()).isTrue();
    }

    private String scriptLines() {
        return "---- vxpool on osspc19, script lines\n" + net.currentOutput(OSSPC19).lines()
                .filter(l -> l.contains(".sh") || l.contains("_command") || l.contains("pg_rewind") || l.contains("ssh"))
                .reduce((a, b) -> a + "\n" + b).orElse("") + "\n---- sshd\n" + sshd.log();
    }

    /** Waits until follow_primary.sh ended for {@code node} (done or failed); returns vxpool's output. */
    private String awaitFollowed(int node) {
        String done = "follow_primary.sh: node " + node + ": done";
        String failed = "follow_primary.sh: node " + node + ": ERROR";
        TutorialNetwork.waitFor("follow_primary.sh for node " + node, SCRIPTS_TIMEOUT, () -> {
            String out = net.currentOutput(OSSPC19);
            return out.contains(done) || out.contains(failed);
        });
        String out = net.currentOutput(OSSPC19);
        assertThat(out).as("follow_primary.sh for node %d%n%s", node, scriptLines()).contains(done);
        return out;
    }

    private void assertViaVip(String sql, String expected) {
        NetnsLab.Result r = net.sqlViaVip(sql);
        assertThat(r.ok()).as("psql through the IP: %s%n%s", sql, r.output()).isTrue();
        assertThat(r.output().strip()).as(sql).isEqualTo(expected);
    }
}
