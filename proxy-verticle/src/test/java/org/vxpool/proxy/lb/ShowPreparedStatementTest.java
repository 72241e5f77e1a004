package org.vxpool.proxy.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vxpool.common.config.DisableLoadBalanceOnWrite;
import org.vxpool.proxy.ProxyFixture;
import org.vxpool.proxy.routing.RoutingSettings;
import org.vxpool.testkit.PasswordEncryption;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgClusterExtension;

/**
 * SHOW pool_* as JDBC sends it over the extended protocol, with and without load balancing: a
 * PreparedStatement that the driver turns into a named statement after prepareThreshold runs,
 * a statement-cache eviction whose Close rides in front of the SHOW, and a SHOW in one batch
 * with a real query (left to PostgreSQL, which refuses it, as in transaction pooling).
 */
class ShowPreparedStatementTest {
    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder().standbys(1)
            .user(LbFixture.USER, null, PasswordEncryption.NONE, true));

    static ProxyFixture plain;
    static ProxyFixture balanced;

    @BeforeAll
    static void start() {
        plain = ProxyFixture.start(PG.cluster(), s -> s.withNumInitChildren(16), 1);
        balanced = LbFixture.start(LbFixture.view(PG.cluster(), 0, 1), new RoutingSettings(true, false,
                DisableLoadBalanceOnWrite.TRANSACTION, false, false, true, 1_000_000, 0, false,
                List.of(), List.of(), List.of(), List.of(), List.of()));
    }

    @AfterAll
    static void stop() {
        plain.close();
        balanced.close();
    }

    static Connection connect(boolean balancing, String params) throws SQLException {
        // a hang shows as a failure, not as a stuck build
        String url = (balancing ? balanced : plain).jdbcUrl("postgres") + "?socketTimeout=20" + params;
        return DriverManager.getConnection(url, LbFixture.USER, "");
    }

    static String first(ResultSet rs) throws SQLException {
        try (rs) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void preparedShowAnswersAfterTheDriverNamesIt(boolean balancing) throws Exception {
        try (Connection c = connect(balancing, ""); PreparedStatement ps = c.prepareStatement("SHOW pool_version")) {
            // the default prepareThreshold is 5: runs 5 on use a named statement bound again each time
            for (int i = 0; i < 8; i++) {
                assertThat(first(ps.executeQuery())).as("run %d", i + 1).contains("vxpool");
            }
            assertThat(first(c.createStatement().executeQuery("SELECT 1"))).isEqualTo("1");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void closeSentAheadOfAShowReachesTheBackend(boolean balancing) throws Exception {
        try (Connection c = connect(balancing, "&prepareThreshold=1&preparedStatementCacheQueries=1")) {
            // the driver's cache holds one statement, and the Close of the one it evicts goes out
            // in front of the next query: here the Close of "SELECT 1" comes with the SHOW
            for (String sql : List.of("SELECT 1", "SELECT 2", "SHOW pool_version")) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    assertThat(first(ps.executeQuery())).isNotNull();
                }
            }
            try (Statement st = c.createStatement()) {
                assertThat(first(st.executeQuery("SELECT count(*) FROM pg_prepared_statements WHERE statement = 'SELECT 1'")))
                        .isEqualTo("0");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void showInABatchWithAQueryIsLeftToPostgres(boolean balancing) throws Exception {
        try (Connection c = connect(balancing, ""); Statement st = c.createStatement()) {
            // JDBC sends both statements in one extended-protocol batch
            assertThatThrownBy(() -> st.execute("SELECT 42; SHOW pool_version"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("pool_version")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42704");
            assertThat(first(st.executeQuery("SELECT 2"))).isEqualTo("2");
            assertThat(first(st.executeQuery("SHOW pool_version"))).contains("vxpool");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void showAfterACommentIsAnswered(boolean balancing) throws Exception {
        try (Connection c = connect(balancing, ""); Statement st = c.createStatement()) {
            assertThat(first(st.executeQuery("/* app=audit */ SHOW pool_version"))).contains("vxpool");
            assertThat(first(st.executeQuery("-- why\nshow pool_version"))).contains("vxpool");
        }
    }
}
