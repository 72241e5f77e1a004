package org.vxpool.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.ProxySettings;
import org.vxpool.proxy.protocol.ErrorResponse;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.Waits;

/**
 * A client that arrives while no primary is known (start-up, failover) waits for one, at most
 * search_primary_node_timeout after the proxy last had one, holding no backend connection.
 */
class NoPrimaryWaitTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder()
            .user("trusty", null, PasswordEncryption.NONE, true));

    private static ClusterView withPrimary(long epoch) {
        ClusterView v = ProxyFixture.view(PG.cluster());
        return new ClusterView(epoch, v.nodes());
    }

    /** The only node is not the primary: as between "old primary down" and "new primary found". */
    private static ClusterView noPrimary(long epoch) {
        ClusterView v = ProxyFixture.view(PG.cluster());
        return new ClusterView(epoch, List.of(v.node(0).withRole(NodeRole.STANDBY, 0)));
    }

    private static int waiting(ProxyFixture f) {
        return f.stats().getJsonObject("sessions").getInteger("waiting_primary", -1);
    }

    private static String write(ProxyFixture f) {
        try (Connection c = PoolingTest.trusty(f, ""); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS waited(x int)");
            try (ResultSet rs = st.executeQuery("INSERT INTO waited VALUES (7) RETURNING x")) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
    }

    @ParameterizedTest(name = "transaction pooling {0}")
    @ValueSource(booleans = {false, true})
    void aClientThatWaitedWritesOnceAPrimaryIsKnown(boolean transactionPooling) throws Exception {
        try (ProxyFixture f = ProxyFixture.start(noPrimary(1), s -> tune(s, 30, transactionPooling), 1)) {
            CompletableFuture<String> client = CompletableFuture.supplyAsync(() -> write(f));
            Waits.until(Duration.ofSeconds(10), "the client waits for a primary", () -> waiting(f) == 1);
            assertThat(client).as("no answer while no primary is known").isNotDone();
            assertThat(f.stats().getJsonArray("pools")).as("a waiting client holds no backend connection").isEmpty();

            f.publish(withPrimary(2));
            assertThat(client.get(20, TimeUnit.SECONDS)).isEqualTo("7");
            assertThat(waiting(f)).isZero();
        }
    }

    @Test
    void theWaitDoesNotCountAgainstAuthenticationTimeout() throws Exception {
        try (ProxyFixture f = ProxyFixture.start(noPrimary(1),
                s -> s.withTimeouts(0, 0, 1).withSearchPrimaryNodeTimeout(30), 1)) {
            CompletableFuture<String> client = CompletableFuture.supplyAsync(() -> write(f));
            Waits.until(Duration.ofSeconds(10), "the client waits for a primary", () -> waiting(f) == 1);
            // the sweep runs every second: it would have closed a session authenticating this long
            Thread.sleep(2500);
            assertThat(client).isNotDone();
            f.publish(withPrimary(2));
            assertThat(client.get(20, TimeUnit.SECONDS)).isEqualTo("7");
        }
    }

    @Test
    void aClientThatLeavesWhileWaitingLeavesNothingBehind() throws Exception {
        try (ProxyFixture f = ProxyFixture.start(noPrimary(1), s -> s.withSearchPrimaryNodeTimeout(60), 1)) {
            try (RawClient gone = new RawClient(f.port); RawClient terminates = new RawClient(f.port)) {
                gone.startup("trusty");
                terminates.startup("trusty");
                Waits.until(Duration.ofSeconds(10), "both clients wait", () -> waiting(f) == 2);
                assertThat(f.stats().getInteger("clients")).isEqualTo(2);
                gone.socket.close();
                // 'X', length 4: Terminate
                terminates.send(new byte[] {'X', 0, 0, 0, 4});
                assertThat(terminates.closedByServer()).isTrue();
            }
            Waits.until(Duration.ofSeconds(10), "sessions cleaned up", () -> {
                JsonObject st = f.stats();
                return waiting(f) == 0 && st.getInteger("clients") == 0
                        && st.getJsonObject("sessions").stream().allMatch(e -> ((Number) e.getValue()).intValue() == 0);
            }, () -> f.stats().encode());
            assertThat(f.stats().getJsonArray("pools")).isEmpty();

            // a later client is not disturbed by what they left
            CompletableFuture<String> client = CompletableFuture.supplyAsync(() -> write(f));
            Waits.until(Duration.ofSeconds(10), "the next client waits", () -> waiting(f) == 1);
            f.publish(withPrimary(2));
            assertThat(client.get(20, TimeUnit.SECONDS)).isEqualTo("7");
        }
    }

    @Test
    void aClientSendingAnythingButTerminateWhileWaitingIsAProtocolViolation() throws Exception {
        try (ProxyFixture f = ProxyFixture.start(noPrimary(1), s -> s.withSearchPrimaryNodeTimeout(60), 1);
             RawClient c = new RawClient(f.port)) {
            c.startup("trusty");
            Waits.until(Duration.ofSeconds(10), "the client waits", () -> waiting(f) == 1);
            c.send(new org.vxpool.proxy.protocol.Query("SELECT 1").encode());
            ErrorResponse e = c.readError();
            assertThat(e.isFatal()).isTrue();
            assertThat(e.sqlState()).isEqualTo("08P01");
            Waits.until(Duration.ofSeconds(10), "cleaned up", () -> waiting(f) == 0 && f.stats().getInteger("clients") == 0);
        }
    }

    private static ProxySettings tune(ProxySettings s, int bound, boolean transactionPooling) {
        ProxySettings t = s.withSearchPrimaryNodeTimeout(bound);
        return transactionPooling ? t.withTransactionPooling(4, 30_000) : t;
    }
}
