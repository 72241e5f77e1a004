package org.vxpool.proxy.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.routing.RoutingSettings;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/**
 * Raw extended-protocol sequences sent by pgpool-II's own {@code pgproto} (Debian package
 * pgpool2) through a load-balancing vxpool: what the client receives must be what PostgreSQL
 * alone would send, with no extra ParseComplete and no "prepared statement does not exist".
 */
class PgprotoTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1)
            .user(LbFixture.USER, null, PasswordEncryption.NONE, true));

    static ProxyFixture proxy;

    @BeforeAll
    static void start() {
        proxy = LbFixture.start(LbFixture.view(PG.cluster(), 0, 1), RoutingSettings.defaults());
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    private static List<String> run(int port, String... lines) throws Exception {
        return run(port, false, lines);
    }

    /** @param tags keep CommandComplete's tag, e.g. {@code SELECT 0} against {@code SELECT 1} */
    private static List<String> run(int port, boolean tags, String... lines) throws Exception {
        Path f = Files.createTempFile("pgproto", ".data");
        // pgproto separates fields with tabs; the sequences below are written with single spaces
        List<String> tabbed = java.util.Arrays.stream(lines).map(l -> l.replaceAll("(?<=['\"0-9]) (?=['\"0-9])", "\t")).toList();
        Files.writeString(f, String.join("\n", tabbed) + "\n");
        Process p = new ProcessBuilder("/usr/sbin/pgproto", "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-u", LbFixture.USER, "-d", "postgres", "-f", f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Files.deleteIfExists(f);
        List<String> got = out.lines().filter(l -> l.contains("<= BE")).map(l -> l.substring(l.indexOf("<= BE")))
                .map(l -> tags && l.startsWith("<= BE CommandComplete") ? l : l.replaceAll("\\(.*", "")).toList();
        if (got.isEmpty()) {
            throw new AssertionError("pgproto printed no backend message:\n" + out);
        }
        return got;
    }

    @Test
    void describeBindAndCloseOfAStatementParsedOnTheStandby() throws Exception {
        String[] seq = {
                "'P' \"S1\" \"SELECT 1 AS one\" 0",
                "'S'",
                "'Y'",
                "'Q' \"BEGIN\"",
                "'Y'",
                "'D' 'S' \"S1\"",
                "'B' \"\" \"S1\" 0 0 0",
                "'E' \"\" 0",
                "'S'",
                "'Y'",
                "'Q' \"COMMIT\"",
                "'Y'",
                "'C' 'S' \"S1\"",
                "'S'",
                "'Y'",
                // the Close reached both backends: S1 can be parsed anew and re-prepared on the primary
                "'P' \"S1\" \"SELECT 2 AS two\" 0",
                "'S'",
                "'Y'",
                "'Q' \"BEGIN\"",
                "'Y'",
                "'B' \"\" \"S1\" 0 0 0",
                "'E' \"\" 0",
                "'S'",
                "'Y'",
                "'Q' \"COMMIT\"",
                "'Y'",
                "'X'"};
        List<String> viaProxy = run(proxy.port, seq);
        List<String> direct = run(PG.cluster().primary().port(), seq);
        assertThat(viaProxy).isEqualTo(direct).doesNotContain("<= BE ErrorResponse");
    }

    @Test
    void closeInFrontOfAShowReachesTheStandby() throws Exception {
        List<String> got = run(proxy.port,
                "'P' \"q1\" \"SELECT 43\" 0",
                "'S'",
                "'Y'",
                // vxpool answers the SHOW itself; the Close in front of it must still reach the standby
                "'C' 'S' \"q1\"",
                "'P' \"\" \"SHOW pool_version\" 0",
                "'B' \"\" \"\" 0 0 0",
                "'E' \"\" 0",
                "'S'",
                "'Y'",
                "'P' \"q1\" \"SELECT 44\" 0",
                "'B' \"\" \"q1\" 0 0 0",
                "'E' \"\" 0",
                "'S'",
                "'Y'",
                "'X'");
        assertThat(got).containsExactly("<= BE ParseComplete", "<= BE ReadyForQuery",
                "<= BE CloseComplete", "<= BE ParseComplete", "<= BE BindComplete", "<= BE DataRow",
                "<= BE CommandComplete", "<= BE ReadyForQuery",
                "<= BE ParseComplete", "<= BE BindComplete", "<= BE DataRow", "<= BE CommandComplete",
                "<= BE ReadyForQuery");
    }

    @Test
    void errorMidBatchAndAbortedTransaction() throws Exception {
        String[] seq = {
                "'P' \"\" \"SELECT 1/0\" 0",
                "'B' \"\" \"\" 0 0 0",
                "'E' \"\" 0",
                "'P' \"\" \"SELECT 2\" 0",
                "'B' \"\" \"\" 0 0 0",
                "'E' \"\" 0",
                "'S'",
                "'Y'",
                "'Q' \"BEGIN\"",
                "'Y'",
                "'Q' \"SELECT 1/0\"",
                "'Y'",
                "'P' \"S2\" \"SELECT 3\" 0",
                "'S'",
                "'Y'",
                "'Q' \"ROLLBACK\"",
                "'Y'",
                "'P' \"\" \"SELECT 4\" 0",
                "'B' \"\" \"\" 0 0 0",
                "'E' \"\" 0",
                "'S'",
                "'Y'",
                "'X'"};
        List<String> viaProxy = run(proxy.port, seq);
        List<String> direct = run(PG.cluster().primary().port(), seq);
        assertThat(viaProxy).isEqualTo(direct);
        assertThat(viaProxy.stream().filter(l -> l.equals("<= BE ErrorResponse")).count()).isEqualTo(3);
    }

    /**
     * Where each Execute ran shows in its row count ({@code WHERE inet_server_port() = standby}):
     * a statement parsed on the primary inside a transaction is bound afterwards on the standby,
     * prepared there first without an extra ParseComplete; an error in the middle of a batch on
     * the standby skips the rest of it, and the next batch runs there normally.
     */
    @Test
    void parseOnThePrimaryBindOnTheStandbyAndAnErrorMidBatchThere() throws Exception {
        String onStandby = "SELECT 1 WHERE inet_server_port() = " + PG.cluster().standbys().get(0).port();
        List<String> out = run(proxy.port, true,
                "'Q' \"BEGIN\"",
                "'Y'",
                "'P' \"s\" \"" + onStandby + "\" 0",
                "'B' \"\" \"s\" 0 0 0",
                "'E' \"\" 0",
                "'S'",
                "'Y'",
                "'Q' \"COMMIT\"",
                "'Y'",
                "'B' \"\" \"s\" 0 0 0",
                "'E' \"\" 0",
                "'S'",
                "'Y'",
                "'B' \"\" \"s\" 0 0 0",
                "'E' \"\" 0",
                "'P' \"\" \"SELECT 1/0\" 0",
                "'B' \"\" \"\" 0 0 0",
                "'E' \"\" 0",
                "'B' \"\" \"s\" 0 0 0",
                "'E' \"\" 0",
                "'S'",
                "'Y'",
                "'B' \"\" \"s\" 0 0 0",
                "'E' \"\" 0",
                "'S'",
                "'Y'",
                "'X'");
        assertThat(out).containsExactly(
                "<= BE CommandComplete(BEGIN)", "<= BE ReadyForQuery",
                // in the transaction: the primary
                "<= BE ParseComplete", "<= BE BindComplete", "<= BE CommandComplete(SELECT 0)", "<= BE ReadyForQuery",
                "<= BE CommandComplete(COMMIT)", "<= BE ReadyForQuery",
                // after it: the standby, where vxpool prepared s unseen
                "<= BE BindComplete", "<= BE DataRow", "<= BE CommandComplete(SELECT 1)", "<= BE ReadyForQuery",
                // 1/0 is folded when the unnamed statement is planned, at Bind
                "<= BE BindComplete", "<= BE DataRow", "<= BE CommandComplete(SELECT 1)", "<= BE ParseComplete",
                "<= BE ErrorResponse", "<= BE ReadyForQuery",
                "<= BE BindComplete", "<= BE DataRow", "<= BE CommandComplete(SELECT 1)", "<= BE ReadyForQuery");
    }

    /**
     * Three batches sent before any answer is read: standby, primary (a catalog read), standby.
     * Each answers SELECT 1 only on its own node, and the answers arrive in order.
     */
    @Test
    void pipelinedBatchesForDifferentBackendsAnswerInOrder() throws Exception {
        String standby = "SELECT 1 WHERE inet_server_port() = " + PG.cluster().standbys().get(0).port();
        String primary = "SELECT 1 FROM pg_class WHERE inet_server_port() = " + PG.cluster().primary().port() + " LIMIT 1";
        String[] seq = new String[3 * 4 + 4];
        String[] texts = {standby, primary, standby};
        for (int i = 0; i < 3; i++) {
            seq[4 * i] = "'P' \"\" \"" + texts[i] + "\" 0";
            seq[4 * i + 1] = "'B' \"\" \"\" 0 0 0";
            seq[4 * i + 2] = "'E' \"\" 0";
            seq[4 * i + 3] = "'S'";
        }
        seq[12] = "'Y'";
        seq[13] = "'Y'";
        seq[14] = "'Y'";
        seq[15] = "'X'";
        List<String> one = List.of("<= BE ParseComplete", "<= BE BindComplete", "<= BE DataRow", "<= BE CommandComplete(SELECT 1)",
                "<= BE ReadyForQuery");
        List<String> all = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.addAll(one);
        }
        assertThat(run(proxy.port, true, seq)).isEqualTo(all);
    }

    @Test
    void showPoolNodesOverTheExtendedProtocol() throws Exception {
        List<String> out = run(proxy.port,
                "'P' \"\" \"SHOW pool_nodes\" 0",
                "'B' \"\" \"\" 0 0 0",
                "'D' 'P' \"\"",
                "'E' \"\" 0",
                "'S'",
                "'Y'",
                "'X'");
        assertThat(out).containsExactly("<= BE ParseComplete", "<= BE BindComplete", "<= BE RowDescription",
                "<= BE DataRow", "<= BE DataRow", "<= BE CommandComplete", "<= BE ReadyForQuery");
    }
}
