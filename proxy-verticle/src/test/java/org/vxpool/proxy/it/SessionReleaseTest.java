package org.vxpool.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.PgNode;
import org.vxpool.testkit.Waits;

/**
 * What a session-mode release sends the backend, read from the server's statement log, and how
 * many released connections stay pooled.
 */
class SessionReleaseTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder()
            .setting("log_statement", "'all'")
            .user("trusty", null, PasswordEncryption.NONE, true));

    /** The server log written after {@code marker} was logged. */
    private static String logAfter(PgNode pg, String marker) {
        String log;
        try {
            log = Files.readString(pg.logFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int at = log.lastIndexOf(marker);
        assertThat(at).as("marker %s in the server log", marker).isNotNegative();
        return log.substring(at);
    }

    private static String mark(PgNode pg) {
        String marker = "release-mark-" + System.nanoTime();
        pg.queryValue("SELECT '" + marker + "'");
        return marker;
    }

    @Test
    void abortIsSentOnlyInsideATransactionBlock() throws Exception {
        PgNode pg = PG.cluster().primary();
        try (ProxyFixture f = ProxyFixture.start(PG.cluster(), s -> s, 1)) {
            String idle = mark(pg);
            try (Connection c = PoolingTest.trusty(f, "")) {
                assertThat(PoolingTest.value(c, "SELECT 'idle client'")).isEqualTo("idle client");
            }
            Waits.until(Duration.ofSeconds(10), "reset and pooled", () -> PoolingTest.trustyPool(f).getInteger("idle", 0) == 1);
            String afterIdle = logAfter(pg, idle);
            assertThat(afterIdle).contains("statement: DISCARD ALL").doesNotContain("statement: ABORT")
                    .doesNotContain("there is no transaction in progress");

            String open = mark(pg);
            try (Connection c = PoolingTest.trusty(f, "")) {
                c.setAutoCommit(false);
                assertThat(PoolingTest.value(c, "SELECT 'in a transaction'")).isEqualTo("in a transaction");
            }
            Waits.until(Duration.ofSeconds(10), "reset and pooled again", () -> PoolingTest.trustyPool(f).getInteger("idle", 0) == 1
                    && logAfter(pg, open).contains("statement: DISCARD ALL"));
            String afterOpen = logAfter(pg, open);
            assertThat(afterOpen.indexOf("statement: ABORT")).as("ABORT before DISCARD ALL").isPositive()
                    .isLessThan(afterOpen.indexOf("statement: DISCARD ALL"));
        }
    }

    @Test
    void connectionsBeyondMaxPoolServeTheNextClientsThenAreTrimmed() throws Exception {
        try (ProxyFixture f = ProxyFixture.start(PG.cluster(), s -> s.withMaxPool(1), 1)) {
            Set<String> first = new HashSet<>();
            List<Connection> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                held.add(PoolingTest.trusty(f, ""));
                first.add(PoolingTest.value(held.get(i), "SELECT pg_backend_pid()"));
            }
            for (Connection c : held) {
                c.close();
            }
            held.clear();
            // main closed the two released while one was idle; the sweep may trim one surplus
            // already if the next clients take over a second (a loaded machine), never the newest two
            Waits.until(Duration.ofSeconds(10), "more than max_pool pooled", () -> PoolingTest.trustyPool(f).getInteger("idle", 0) >= 2,
                    () -> f.stats().encodePrettily());
            Set<String> second = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                held.add(PoolingTest.trusty(f, ""));
                second.add(PoolingTest.value(held.get(i), "SELECT pg_backend_pid()"));
            }
            second.retainAll(first);
            assertThat(second).as("backends of the first clients serving the next ones").hasSizeGreaterThanOrEqualTo(2);
            for (Connection c : held) {
                c.close();
            }
            Waits.until(Duration.ofSeconds(10), "trimmed to max_pool", () -> PoolingTest.trustyPool(f).getInteger("idle", 0) == 1,
                    () -> f.stats().encodePrettily());
            Waits.until(Duration.ofSeconds(10), "the surplus backends ended", () -> PG.cluster().primary().queryValue(
                    "SELECT count(*) FROM pg_stat_activity WHERE usename = 'trusty'").equals("1"));
            try (Connection c = PoolingTest.trusty(f, ""); Statement st = c.createStatement()) {
                assertThat(st.execute("SELECT 1")).isTrue();
            }
        }
    }
}
