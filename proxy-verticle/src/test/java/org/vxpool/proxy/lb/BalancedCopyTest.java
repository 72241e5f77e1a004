package org.vxpool.proxy.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vxpool.proxy.lb.LbFixture.connect;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.routing.RoutingSettings;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/**
 * COPY FROM STDIN with load balancing on, one CopyData message per row as psql and pgbench -i
 * send them: with balancing, CopyData takes the routing path (not the plain relay), and the rows,
 * their order and an error in the middle of the stream must come through unchanged.
 */
class BalancedCopyTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1)
            .user(LbFixture.USER, null, PasswordEncryption.NONE, true));

    @BeforeAll
    static void schema() {
        PG.cluster().primary().execute("CREATE TABLE IF NOT EXISTS bc_t(id int, v text)");
        PG.cluster().standbys().get(0).waitForReplay(PG.cluster().primary());
    }

    @Test
    void rowByRowCopyReachesThePrimaryInOrder() throws Exception {
        int rows = 20_000;
        try (ProxyFixture proxy = LbFixture.start(LbFixture.view(PG.cluster(), 0, 1), RoutingSettings.defaults());
             Connection c = connect(proxy, ""); Statement st = c.createStatement()) {
            st.execute("TRUNCATE bc_t");
            CopyManager cm = c.unwrap(PGConnection.class).getCopyAPI();
            CopyIn in = cm.copyIn("COPY bc_t FROM STDIN");
            for (int i = 0; i < rows; i++) {
                byte[] row = (i + "\trow " + i + "\n").getBytes(StandardCharsets.UTF_8);
                in.writeToCopy(row, 0, row.length);
            }
            assertThat(in.endCopy()).isEqualTo(rows);

            CopyIn bad = cm.copyIn("COPY bc_t FROM STDIN");
            byte[] good = "1\tfine\n".getBytes(StandardCharsets.UTF_8);
            byte[] wrong = "not-a-number\tx\n".getBytes(StandardCharsets.UTF_8);
            bad.writeToCopy(good, 0, good.length);
            bad.writeToCopy(wrong, 0, wrong.length);
            assertThatThrownBy(bad::endCopy).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22P02");

            // the session goes on after the failed COPY
            assertThat(LbFixture.port(st, "select 42")).isEqualTo(42);
        }
        var primary = PG.cluster().primary();
        assertThat(primary.queryValue("select count(*) || ' ' || sum(id) || ' ' || bool_and(v = 'row ' || id) from bc_t"))
                .isEqualTo(rows + " " + (long) rows * (rows - 1) / 2 + " true");
        // a fresh table's heap keeps insertion order: each row sits where its position in the stream says
        assertThat(primary.queryValue("select count(*) from (select id, row_number() over (order by ctid) - 1 as n"
                + " from bc_t) s where id <> n")).as("rows stored out of order").isEqualTo("0");
    }
}
