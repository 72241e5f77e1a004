package org.vxpool.proxy.txpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vxpool.proxy.txpool.TxFixture.connect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PSQLException;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.Waits;

/**
 * Transaction pooling when a backend ends one connection without the node failing
 * ({@code pg_terminate_backend}): the client of the statement gets 08006 with PostgreSQL's own
 * reason in the detail, no claim of a failover, and stays connected.
 */
class TxBackendTerminatedTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder());

    static Path dir;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("vxpool-tx-terminated");
        proxy = TxFixture.start(PG.cluster(), dir, "default_pool_size = 2\n");
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void aTerminatedBackendFailsTheStatementAndTheClientGoesOn() throws Exception {
        try (Connection c = connect(proxy, PG.cluster())) {
            CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() -> {
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT pg_sleep(60) /* tx-terminated */");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            String find = "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60) /* tx-terminated%'";
            Waits.until(Duration.ofSeconds(20), "the sleeping statement on the backend",
                    () -> PG.cluster().primary().queryValue(find) != null);
            String pid = PG.cluster().primary().queryValue(find);
            assertThat(PG.cluster().primary().queryValue("SELECT pg_terminate_backend(" + pid + ")")).isEqualTo("t");
            assertThatThrownBy(() -> sleeping.get(30, TimeUnit.SECONDS)).cause().cause()
                    .isInstanceOfSatisfying(PSQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("08006");
                        assertThat(e.getServerErrorMessage().getMessage())
                                .contains("was lost during the statement").doesNotContain("fail");
                        assertThat(e.getServerErrorMessage().getDetail())
                                .contains("terminating connection due to administrator command");
                    });
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 41 + 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("the client goes on, on another backend connection").isEqualTo(42);
            }
        }
    }
}
