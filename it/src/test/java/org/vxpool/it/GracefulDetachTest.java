package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;
import org.vxpool.common.Addresses;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.Waits;

/**
 * pcp_detach_node {@code --gracefully} with real proxies in front of a real primary/standby pair:
 * while the Active node waits for every client to leave, the proxy holds new clients back after
 * their StartupMessage and disconnects idle ones after {@code client_idle_limit_in_recovery}
 * (-1: at once, 0: never; PGPOOL SET changes it per session), as pgpool-II does; every end of
 * the wait (detached, or given up after recovery_timeout) lets the held clients in.
 */
class GracefulDetachTest {
    private static final Duration IN_RECOVERY = Duration.ofSeconds(6);

    @TempDir
    Path dir;

    @Test
    void idleClientsGoAfterTheirLimitAndNewOnesWaitUntilTheNodeIsDetached() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).start();
             InProcessVxpool vx = InProcessVxpool.start(pg, dir, c -> c + "client_idle_limit_in_recovery = "
                     + IN_RECOVERY.toSeconds() + "\nrecovery_timeout = 90\n")) {
            Connection idle = InProcessVxpool.connect(vx.url, pg);
            Connection atOnce = InProcessVxpool.connect(vx.url, pg);
            Connection stays = InProcessVxpool.connect(vx.url, pg);
            try {
                assertThat(value(idle, "SELECT 1")).isEqualTo("1");
                execute(atOnce, "PGPOOL SET client_idle_limit_in_recovery = -1");
                execute(stays, "PGPOOL SET client_idle_limit_in_recovery = 0");
                assertThat(stats(vx).getInteger("clients")).isEqualTo(3);

                long started = System.nanoTime();
                Future<Message<JsonObject>> detach = detachGracefully(vx);
                // -1: this session goes as soon as the proxy hears of the wait, the others stay for now
                Waits.until(Duration.ofSeconds(5), "the -1 session is disconnected", () -> clients(vx) == 2);
                assertThat(elapsed(started)).as("before client_idle_limit_in_recovery of the others").isLessThan(IN_RECOVERY);

                CompletableFuture<Connection> late = CompletableFuture.supplyAsync(() -> connect(vx, pg));
                Waits.until(Duration.ofSeconds(10), "the new client is held",
                        () -> stats(vx).getJsonObject("sessions").getInteger("held") == 1);

                Waits.until(Duration.ofSeconds(20), "the idle session is disconnected", () -> clients(vx) == 1);
                assertThat(elapsed(started)).as("not before its client_idle_limit_in_recovery").isGreaterThanOrEqualTo(IN_RECOVERY);
                assertThat(late).as("still held: a client is left").isNotDone();
                assertThat(detach.isComplete()).as("still waiting for the session with 0").isFalse();
                assertThat(value(stays, "SELECT 'still here'")).isEqualTo("still here");

                stays.close();
                assertThat(detach.await(30, TimeUnit.SECONDS).body().getString("message")).isEqualTo("node 1 detached");
                try (Connection heldOne = late.get(30, TimeUnit.SECONDS)) {
                    assertThat(value(heldOne, "SELECT 1")).isEqualTo("1");
                    assertThat(nodeStatus(heldOne, 1)).isEqualTo("down");
                }
                // the proxy told each why it went
                assertDisconnected(atOnce, "a graceful detach is waiting for every client to disconnect");
                assertDisconnected(idle, "this client was idle for more than " + IN_RECOVERY.toSeconds() + " seconds");
            } finally {
                idle.close();
                atOnce.close();
                stays.close();
            }
        }
    }

    @Test
    void heldClientsGetInWhenTheDetachGivesUp() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).start();
             InProcessVxpool vx = InProcessVxpool.start(pg, dir, c -> c + "recovery_timeout = 3\n");
             Connection stays = InProcessVxpool.connect(vx.url, pg)) {
            assertThat(value(stays, "SELECT 1")).isEqualTo("1");
            Future<Message<JsonObject>> detach = detachGracefully(vx);
            CompletableFuture<Connection> late = CompletableFuture.supplyAsync(() -> connect(vx, pg));
            Waits.until(Duration.ofSeconds(10), "the new client is held",
                    () -> stats(vx).getJsonObject("sessions").getInteger("held") == 1);

            assertThatThrownBy(() -> detach.await(30, TimeUnit.SECONDS)).isInstanceOf(ReplyException.class)
                    .hasMessage("node 1 not detached: 1 client(s) still connected after recovery_timeout (3 s)");
            try (Connection heldOne = late.get(10, TimeUnit.SECONDS)) {
                assertThat(value(heldOne, "SELECT 1")).isEqualTo("1");
            }
            // client_idle_limit_in_recovery = 0 (the default) never disconnected the idle one
            assertThat(value(stays, "SELECT 2")).isEqualTo("2");
            assertThat(nodeStatus(stays, 1)).isEqualTo("up");
        }
    }

    private static Future<Message<JsonObject>> detachGracefully(InProcessVxpool vx) {
        return vx.vertx.eventBus().request(Addresses.DETACH, new JsonObject().put("node", 1).put("gracefully", true),
                new DeliveryOptions().setSendTimeout(120_000));
    }

    private static JsonObject stats(InProcessVxpool vx) {
        return vx.vertx.eventBus().<JsonObject>request(Addresses.PROXY_STATS, new JsonObject()).await().body();
    }

    private static int clients(InProcessVxpool vx) {
        return stats(vx).getInteger("clients");
    }

    private static Connection connect(InProcessVxpool vx, PgCluster pg) {
        try {
            return InProcessVxpool.connect(vx.url, pg);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Duration elapsed(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private static void assertDisconnected(Connection c, String detail) {
        assertThatThrownBy(() -> value(c, "SELECT 1")).isInstanceOfSatisfying(PSQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("57P05");
            assertThat(e.getServerErrorMessage().getMessage()).isEqualTo("terminating connection due to client_idle_limit_in_recovery");
            assertThat(e.getServerErrorMessage().getDetail()).contains(detail);
        });
    }

    private static String nodeStatus(Connection c, int node) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW pool_nodes")) {
            while (rs.next()) {
                if (rs.getString("node_id").equals(Integer.toString(node))) {
                    return rs.getString("status");
                }
            }
        }
        throw new AssertionError("node " + node + " not in SHOW pool_nodes");
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static String value(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
