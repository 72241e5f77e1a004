package org.vxpool.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vxpool.common.Addresses;
import org.vxpool.common.config.BackendFlag;
import org.vxpool.common.model.ClusterView;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgNode;
import org.vxpool.testkit.ProcessResult;
import org.vxpool.testkit.Processes;
import org.vxpool.testkit.StopMode;
import org.vxpool.testkit.Waits;

/** ATTACH, DETACH and PROMOTE answer ok or a reason, and do what pcp_attach/detach/promote_node do. */
class OperatorRequestsTest {
    @TempDir
    Path dir;

    private static JsonObject node(int id) {
        return new JsonObject().put("node", id);
    }

    @Test
    void detachAttachPromoteAndSwitchover() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).start(); WatchdogHarness wd = new WatchdogHarness();
             LogCapture log = LogCapture.capture()) {
            Path failbackArgs = dir.resolve("failback.args");
            wd.deploy(WatchdogHarness.settings(pg, dir,
                    "failback_command", "echo '%d %h %p %m %P' >> " + failbackArgs), false);

            // A command asking for the state a node is already in is refused, whichever command it is.
            assertThat(wd.refusal(Addresses.ATTACH, node(1))).isEqualTo("node 1 is already up");
            assertThat(wd.refusal(Addresses.PROMOTE, node(0))).isEqualTo("node 0 is already primary");

            assertThat(wd.request(Addresses.DETACH, node(1)).getBoolean("ok")).isTrue();
            assertThat(wd.view().node(1).status()).isEqualTo(NodeStatus.DOWN);
            // pgpool keeps showing a detached standby as a standby
            assertThat(wd.view().node(1).role()).isEqualTo(NodeRole.STANDBY);
            assertThat(log.lines()).anyMatch(l -> l.contains("reason: operator detach"));
            assertThat(wd.refusal(Addresses.DETACH, node(1))).isEqualTo("node 1 is already down");
            assertThat(wd.refusal(Addresses.PROMOTE, node(1))).isEqualTo("node 1 is down, only a live node can be promoted");
            assertThat(wd.refusal(Addresses.DETACH, node(9))).startsWith("no such backend node: 9");
            assertThat(wd.refusal(Addresses.ATTACH, new JsonObject())).startsWith("no such backend node: null");

            assertThat(wd.request(Addresses.ATTACH, node(1)).getBoolean("ok")).isTrue();
            ClusterView attached = wd.view();
            assertThat(attached.node(1).status()).isEqualTo(NodeStatus.UP);
            assertThat(attached.node(1).role()).isEqualTo(NodeRole.STANDBY);
            log.await("failback done. reconnect host 127.0.0.1(" + pg.node(1).port() + ")", Duration.ofSeconds(5));
            assertThat(Files.readAllLines(failbackArgs))
                    .containsExactly("1 127.0.0.1 " + pg.node(1).port() + " 0 0");

            // Without switchover only the view changes: for an operator who promoted by hand.
            wd.request(Addresses.PROMOTE, node(1));
            assertThat(wd.view().node(1).role()).isEqualTo(NodeRole.PRIMARY);
            assertThat(wd.view().node(0).role()).isEqualTo(NodeRole.STANDBY);
            assertThat(pg.node(1).isInRecovery()).isTrue();
            wd.request(Addresses.PROMOTE, node(0));

            // Switchover: the old primary is detached and node 1 really promoted.
            JsonObject reply = wd.request(Addresses.PROMOTE, node(1).put("switchover", true));
            assertThat(reply.getBoolean("ok")).isTrue();
            ClusterView switched = wd.view();
            assertThat(switched.node(0).status()).isEqualTo(NodeStatus.DOWN);
            // pgpool names only the current primary "primary": the old one is a down standby
            assertThat(switched.node(0).role()).isEqualTo(NodeRole.STANDBY);
            assertThat(switched.node(1).role()).isEqualTo(NodeRole.PRIMARY);
            assertThat(pg.node(1).isInRecovery()).isFalse();
            assertThat(log.lines()).anyMatch(l -> l.contains("reason: switchover to node 1 requested by operator"));

            // node 0 still runs as a primary: attaching it would make two.
            assertThat(wd.refusal(Addresses.ATTACH, node(0)))
                    .isEqualTo("node 0 is not in recovery while node 1 is primary; attaching it would make two primaries");
        }
    }

    /**
     * A graceful detach (pcp_detach_node -g) waits for the proxies' clients, here a stand-in for
     * this node's proxies on their clients address, and gives up after recovery_timeout without
     * detaching; a detach that would be refused is refused before any wait. Its questions tell the
     * proxies to hold new clients, and its end, whichever it is, lets them go.
     */
    @Test
    void gracefulDetachWaitsForTheClientsAndGivesUpAfterRecoveryTimeout() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).start(); WatchdogHarness wd = new WatchdogHarness()) {
            wd.deploy(WatchdogHarness.settings(pg, dir, "recovery_timeout", "1"), false);
            java.util.concurrent.atomic.AtomicInteger clients = new java.util.concurrent.atomic.AtomicInteger(1);
            // what the proxies are told: hold new clients (true) while it waits, let them in (false) after
            List<Boolean> drain = new java.util.concurrent.CopyOnWriteArrayList<>();
            wd.vertx.eventBus().<JsonObject>consumer(Addresses.PROXY_CLIENTS_PREFIX + "local", m -> {
                drain.add(m.body().getBoolean("drain"));
                m.reply(new JsonObject().put("clients", clients.get()));
            }).completion().await();
            JsonObject gracefully = node(1).put("gracefully", true);

            long started = System.nanoTime();
            assertThat(wd.refusal(Addresses.DETACH, gracefully))
                    .isEqualTo("node 1 not detached: 1 client(s) still connected after recovery_timeout (1 s)");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(wd.view().node(1).status()).isEqualTo(NodeStatus.UP);
            Waits.until(Duration.ofSeconds(5), "the proxies are let go after the timeout", () -> drain.size() > 1
                    && !drain.get(drain.size() - 1));
            assertThat(drain.subList(0, drain.size() - 1)).as("every question while waiting").containsOnly(true);
            drain.clear();

            java.util.concurrent.CompletableFuture<JsonObject> detached = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return wd.request(Addresses.DETACH, gracefully);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            clients.set(0);
            assertThat(detached.get(30, java.util.concurrent.TimeUnit.SECONDS).getString("message")).isEqualTo("node 1 detached");
            assertThat(wd.view().node(1).status()).isEqualTo(NodeStatus.DOWN);
            Waits.until(Duration.ofSeconds(5), "the proxies are let go after the detach", () -> drain.size() > 1
                    && !drain.get(drain.size() - 1));
            assertThat(drain.subList(0, drain.size() - 1)).containsOnly(true);
            drain.clear();

            clients.set(1);
            started = System.nanoTime();
            assertThat(wd.refusal(Addresses.DETACH, gracefully)).isEqualTo("node 1 is already down");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused before waiting").isLessThan(Duration.ofSeconds(1));
            assertThat(drain).as("nobody held for a refused detach").isEmpty();
        }
    }

    @Test
    void failoverVoteFromAnotherMemberDetachesTheNode() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).start(); WatchdogHarness wd = new WatchdogHarness();
             LogCapture log = LogCapture.capture()) {
            wd.deploy(WatchdogHarness.settings(pg, dir), false);
            JsonObject reply = wd.request(Addresses.FAILOVER_VOTE,
                    node(1).put("from", "vxpool-b").put("reason", "health check failed after 3 retries"));
            assertThat(reply.getBoolean("ok")).isTrue();
            wd.awaitView("node 1 down", v -> v.node(1).status() == NodeStatus.DOWN, Duration.ofSeconds(10));
            log.await("reason: failover request from vxpool-b: health check failed after 3 retries", Duration.ofSeconds(5));
            assertThat(wd.view().node(0).role()).isEqualTo(NodeRole.PRIMARY);
        }
    }

    @Test
    void disallowToFailoverRefusesDetach() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).start(); WatchdogHarness wd = new WatchdogHarness();
             LogCapture log = LogCapture.capture()) {
            wd.deploy(WatchdogHarness.withFlags(WatchdogHarness.settings(pg, dir), 1,
                    BackendFlag.DISALLOW_TO_FAILOVER), false);

            assertThat(wd.refusal(Addresses.DETACH, node(1))).isEqualTo("node 1 has DISALLOW_TO_FAILOVER");
            pg.node(1).stop(StopMode.FAST);
            // The health check's own failover request, refused: what a fixed 3 s wait only hoped had happened.
            log.await("backend_flag1 = DISALLOW_TO_FAILOVER (reason was: health check failed", Duration.ofSeconds(10));
            assertThat(wd.view().node(1).status()).isNotEqualTo(NodeStatus.DOWN);
        }
    }

    /**
     * With backend_application_name the primary's pg_stat_replication decides; without it, the
     * standby's own pg_stat_wal_receiver.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void autoFailbackReattachesAStreamingStandbyButNotAnOperatorDetachedOne(boolean applicationName) throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).start(); WatchdogHarness wd = new WatchdogHarness();
             LogCapture log = LogCapture.capture()) {
            wd.deploy(WatchdogHarness.settings(pg, dir, "auto_failback", "on", "auto_failback_interval", "1",
                    "backend_application_name1", applicationName ? pg.node(1).applicationName() : ""), false);

            pg.node(1).stop(StopMode.FAST);
            wd.awaitView("node 1 down", v -> v.node(1).status() == NodeStatus.DOWN, Duration.ofSeconds(30));
            pg.node(1).start();
            ClusterView back = wd.awaitView("node 1 back", v -> v.node(1).status() == NodeStatus.UP, Duration.ofSeconds(30));
            assertThat(back.node(1).role()).isEqualTo(NodeRole.STANDBY);
            assertThat(log.lines()).anyMatch(l -> l.contains("reason: auto_failback: node streams from primary 0"));

            wd.request(Addresses.DETACH, node(1));
            Thread.sleep(4000);
            assertThat(wd.view().node(1).status()).isEqualTo(NodeStatus.DOWN);
        }
    }

    /**
     * With asynchronous replication a commit acknowledged just before a switchover may not have
     * reached the standby: pg_promote() ends recovery at what was received, so the commit would be
     * gone from the new primary. The switchover waits for the WAL (here held back by stopping the
     * old primary's walsender), is abandoned with the old primary kept when it never comes, and
     * goes through once it flows again.
     */
    @Test
    void switchoverWaitsUntilTheTargetHasReceivedTheOldPrimarysWal() throws Exception {
        try (PgCluster pg = PgCluster.builder().standbys(1).start(); WatchdogHarness wd = new WatchdogHarness()) {
            // Bounds the abandoned wait below: 4 s show it as well as 10 did.
            wd.deploy(WatchdogHarness.settings(pg, dir, "search_primary_node_timeout", "4"), false);
            PgNode primary = pg.node(0);
            PgNode standby = pg.node(1);
            primary.execute("CREATE TABLE acked(x int)");
            standby.waitForReplay();
            String walsender = primary.queryValue("SELECT pid FROM pg_stat_replication");
            signal("STOP", walsender);
            try {
                primary.execute("INSERT INTO acked VALUES (1)");
                assertThat(wd.refusal(Addresses.PROMOTE, node(1).put("switchover", true))).startsWith(
                        "switchover to node 1 abandoned, node 0 stays primary: node 1 did not receive the WAL of primary node 0 up to ");
                ClusterView kept = wd.view();
                assertThat(kept.node(0).status()).isEqualTo(NodeStatus.UP);
                assertThat(kept.node(0).role()).isEqualTo(NodeRole.PRIMARY);
                assertThat(standby.isInRecovery()).isTrue();

                Future<Message<JsonObject>> again = wd.vertx.eventBus().request(Addresses.PROMOTE,
                        node(1).put("switchover", true), new DeliveryOptions().setSendTimeout(60_000));
                signal("CONT", walsender);
                assertThat(WatchdogHarness.get(again).body().getBoolean("ok")).isTrue();
            } finally {
                // never leave it stopped; once the standby was promoted it has exited
                Processes.command("kill", "-CONT", walsender).run();
            }
            assertThat(standby.isInRecovery()).isFalse();
            assertThat(standby.queryValue("SELECT count(*) FROM acked")).isEqualTo("1");
            assertThat(wd.view().node(1).role()).isEqualTo(NodeRole.PRIMARY);
        }
    }

    private static void signal(String signal, String pid) {
        ProcessResult r = Processes.command("kill", "-" + signal, pid).run();
        assertThat(r.exitCode()).as("kill -%s %s: %s", signal, pid, r.stderr()).isZero();
    }
}
