package org.vxpool.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;
import org.vxpool.testkit.PgNode;

/**
 * Checks the classifier against a real hot standby: every statement the router would send to a
 * standby must not be refused there for being a write, and statements a standby refuses must not
 * be classified as reads. Other errors (missing objects, bad parameters) do not matter here.
 */
class ClassifierOnStandbyTest {

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1));

    private static Connection standby;

    @BeforeAll
    static void schema() throws IOException, SQLException {
        try (InputStream in = ClassifierOnStandbyTest.class.getResourceAsStream("/routing/standby-schema.sql")) {
            PG.cluster().primary().execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        PgNode node = PG.cluster().node(1);
        node.waitForReplay();
        Properties props = new Properties();
        props.setProperty("user", PgCluster.DEFAULT_USER);
        props.setProperty("password", PgCluster.DEFAULT_PASSWORD);
        props.setProperty("preferQueryMode", "simple");
        props.setProperty("options", "-c statement_timeout=5000");
        standby = DriverManager.getConnection(node.jdbcUrl(), props);
    }

    @AfterAll
    static void close() throws SQLException {
        if (standby != null) {
            standby.close();
        }
    }

    /** The standby's refusal of a write, or null when it ran or failed for another reason. */
    private static String refusal(String sql) {
        try (Statement st = standby.createStatement()) {
            st.execute(sql);
            return null;
        } catch (SQLException e) {
            String m = String.valueOf(e.getMessage());
            boolean writeRefused = "25006".equals(e.getSQLState()) || m.contains("during recovery")
                    || m.contains("hot standby") || m.contains("recovery is in progress");
            return writeRefused ? e.getSQLState() + " " + m : null;
        }
    }

    @Test
    void noStatementRoutedToAStandbyIsRefusedThere() {
        SqlClassifier classifier = SqlClassifier.defaults();
        Router router = new Router(RoutingSettings.defaults());
        List<String> refused = new ArrayList<>();
        int ran = 0;
        List<String> candidates = new ArrayList<>();
        CaseFiles.rows("classifier-cases.tsv").forEach(r -> candidates.add(r.col(1)));
        CaseFiles.rows("router-cases.tsv").forEach(r -> candidates.add(r.col(1)));
        for (String sql : candidates) {
            RouteDecision d = router.route(RouterTableTest.newSession(), classifier.classify(sql),
                    Clusters.threeNodes(), LagSnapshot.NONE, new SplittableRandom(1));
            if (d.target() == RouteTarget.LOAD_BALANCE_NODE && d.nodeId() != 0 && !sql.isBlank()) {
                ran++;
                String why = refusal(sql);
                if (why != null) {
                    refused.add(sql + " -> " + why);
                }
            }
        }
        assertThat(ran).isGreaterThan(150);
        assertThat(refused).isEmpty();
    }

    @Test
    void whatAStandbyRefusesIsNeverARead() {
        SqlClassifier classifier = SqlClassifier.defaults();
        List<String> probes = List.of(
                "select nextval('s')", "select * from t for update", "select * from t for share",
                "select * from t for key share", "select * from t for no key update",
                "select * from t limit 1 for update skip locked", "select txid_current()",
                "select pg_current_xact_id()", "select pg_notify('c', 'x')", "listen c", "notify c",
                "create temp table x (a int)", "insert into t (id) values (1)", "update t set a = 1",
                "delete from t", "truncate t", "select * into n from t", "create table n (a int)",
                "with x as (delete from t returning *) select * from x", "explain analyze delete from t",
                "vacuum t", "analyze t", "select setval('s', 5)", "select lo_creat(-1)",
                "select pg_switch_wal()");
        List<String> refusedButRead = new ArrayList<>();
        int refusedCount = 0;
        for (String sql : probes) {
            if (refusal(sql) != null) {
                refusedCount++;
                if (classifier.classify(sql).statements().stream().anyMatch(ClassifiedStatement::isRead)) {
                    refusedButRead.add(sql);
                }
            }
        }
        assertThat(refusedCount).as("the probes do hit the standby's refusals").isGreaterThan(15);
        assertThat(refusedButRead).isEmpty();
    }
}
