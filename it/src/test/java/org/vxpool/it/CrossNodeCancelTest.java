package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.QueryExecutorBase;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.PgNode;

/**
 * A client connected to vxpool node A runs a long query; its CancelRequest arrives at node B (a
 * client with a list of hosts, or the delegate IP moved in between) and must still cancel it.
 */
class CrossNodeCancelTest {

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder());

    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final StartedNodes nodes = new StartedNodes();

    @AfterEach
    void killEverything() {
        nodes.close();
    }

    @Test
    void cancelSentToTheOtherNodeCancelsTheQueryAndAWrongSecretDoesNothing() throws Exception {
        List<NodeFiles> pair = NodeFiles.watchdogPair(dir, PG.cluster().nodes().stream().map(PgNode::port).toList());
        NodeFiles a = pair.get(0);
        NodeFiles b = pair.get(1);
        // the primary search logs in as the health check user
        String login = "health_check_user = '" + PG.cluster().user() + "'\nhealth_check_password = '"
                + PG.cluster().password() + "'\n";
        Files.writeString(a.config(), login, StandardOpenOption.APPEND);
        Files.writeString(b.config(), login, StandardOpenOption.APPEND);
        nodes.start(a);
        nodes.start(b);
        VxpoolProcess.awaitMembers(a.healthUrl(), 2, JOIN_TIMEOUT);
        VxpoolProcess.awaitMembers(b.healthUrl(), 2, JOIN_TIMEOUT);

        try (Connection conn = connectWhenReady(a);
             Connection direct = InProcessVxpool.connect(PG.cluster().primary().jdbcUrl(), PG.cluster());
             Connection viaB = connectWhenReady(b)) {
            assertThat(viaB.isValid(5)).isTrue();
            int[] key = cancelKey(conn);
            CompletableFuture<Void> sleep = CompletableFuture.runAsync(() -> sleep(conn));
            awaitRunning(direct);

            sendCancel(b, key[0], key[1] + 1);
            sendCancel(b, key[0] ^ 0x5a5a, key[1]);
            // nothing to wait for when nothing happens: give a forwarded cancel ample time to act
            Thread.sleep(2000);
            assertThat(sleep).isNotDone();
            assertThat(running(direct)).isTrue();

            sendCancel(b, key[0], key[1]);
            ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> sleep.get(15, TimeUnit.SECONDS));
            assertThat(failed.getCause()).isInstanceOf(SQLException.class);
            assertThat(((SQLException) failed.getCause()).getSQLState()).isEqualTo("57014");
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT 41 + 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }

    private Connection connectWhenReady(NodeFiles node) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + node.proxyPort() + "/postgres";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return InProcessVxpool.connect(url, PG.cluster());
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static void sleep(Connection conn) {
        try (Statement st = conn.createStatement()) {
            st.execute("SELECT pg_sleep(30)");
        } catch (SQLException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    /** The BackendKeyData vxpool node A sent: JDBC keeps it for Statement.cancel(), which only targets A. */
    private static int[] cancelKey(Connection conn) throws Exception {
        QueryExecutorBase executor = (QueryExecutorBase) conn.unwrap(BaseConnection.class).getQueryExecutor();
        Field pid = QueryExecutorBase.class.getDeclaredField("cancelPid");
        Field secret = QueryExecutorBase.class.getDeclaredField("cancelKey");
        pid.setAccessible(true);
        secret.setAccessible(true);
        Object s = secret.get(executor);
        int secretKey = s instanceof byte[] bytes ? ByteBuffer.wrap(bytes).getInt() : (Integer) s;
        return new int[] {pid.getInt(executor), secretKey};
    }

    private static void awaitRunning(Connection direct) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!running(direct)) {
            assertThat(System.nanoTime()).as("pg_sleep never started").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static boolean running(Connection direct) throws SQLException {
        try (Statement st = direct.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = 'SELECT pg_sleep(30)'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    /** A raw CancelRequest; like PostgreSQL, vxpool answers nothing and closes the connection. */
    private static void sendCancel(NodeFiles node, int pid, int secret) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", node.proxyPort()), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(ByteBuffer.allocate(16).putInt(16).putInt(80877102).putInt(pid).putInt(secret).array());
            out.flush();
            InputStream in = s.getInputStream();
            assertThat(in.read()).as("vxpool answers a CancelRequest with nothing").isEqualTo(-1);
        }
    }
}
