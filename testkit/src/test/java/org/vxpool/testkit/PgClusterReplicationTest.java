package org.vxpool.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PgClusterReplicationTest {

    @RegisterExtension
    static final PgClusterExtension PG = new PgClusterExtension(PgCluster.builder()
            .standbys(2)
            .setting("work_mem", "'7MB'")
            .hbaLine("host all blocked 127.0.0.1/32 reject")
            .user("md5user", "md5-pw", PasswordEncryption.MD5, false)
            .user("nopass", null, PasswordEncryption.NONE, false)
            .user("blocked", "blocked-pw", PasswordEncryption.SCRAM_SHA_256, false));

    @Test
    void primaryAndTwoStandbysAreUpInTheRightRoles() {
        PgCluster pg = PG.cluster();
        System.out.println("testkit: primary + 2 standbys set up in " + pg.setupTime().toMillis() + " ms");
        assertThat(pg.nodes()).hasSize(3);
        assertThat(pg.primary()).isSameAs(pg.node(0));
        assertThat(pg.node(0).isInRecovery()).isFalse();
        assertThat(pg.node(1).isInRecovery()).isTrue();
        assertThat(pg.node(2).isInRecovery()).isTrue();
        assertThat(pg.standbys()).containsExactly(pg.node(1), pg.node(2));
        assertThat(pg.node(0).query("SELECT application_name, sync_state FROM pg_stat_replication ORDER BY 1"))
                .containsExactly(List.of("node1", "async"), List.of("node2", "async"));
        assertThat(pg.nodes()).extracting(PgNode::port).doesNotHaveDuplicates();
    }

    @Test
    void rowWrittenOnPrimaryAppearsOnBothStandbys() {
        PgCluster pg = PG.cluster();
        pg.primary().execute("CREATE TABLE repl_check(id int primary key, v text)");
        assertThat(pg.primary().execute("INSERT INTO repl_check VALUES (1, 'hello')")).isEqualTo(1);
        for (PgNode standby : List.of(pg.node(1), pg.node(2))) {
            standby.waitForReplay();
            assertThat(standby.queryValue("SELECT v FROM repl_check WHERE id = 1")).isEqualTo("hello");
        }
        assertThatThrownBy(() -> pg.node(1).execute("INSERT INTO repl_check VALUES (2, 'no')"))
                .hasMessageContaining("read-only transaction");
    }

    @Test
    void extraSettingIsAppliedOnEveryNode() {
        for (PgNode node : PG.cluster().nodes()) {
            assertThat(node.queryValue("SHOW work_mem")).isEqualTo("7MB");
            assertThat(node.queryValue("SHOW listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(node.queryValue("SHOW max_connections")).isEqualTo("200");
        }
    }

    @Test
    void usersAuthenticateWithTheirPasswordMethods() throws SQLException {
        PgNode primary = PG.cluster().primary();
        assertThat(primary.queryValue("SELECT left(rolpassword, 14) FROM pg_authid WHERE rolname = 'vxtest'"))
                .isEqualTo("SCRAM-SHA-256$");
        assertThat(primary.queryValue("SELECT left(rolpassword, 3) FROM pg_authid WHERE rolname = 'md5user'"))
                .isEqualTo("md5");
        assertThat(primary.queryValue("SELECT rolpassword IS NULL FROM pg_authid WHERE rolname = 'nopass'"))
                .isEqualTo("t");
        try (Connection c = primary.connect("md5user", "md5-pw")) {
            assertThat(c.isValid(5)).isTrue();
        }
        try (Connection c = primary.connect("nopass", null)) {
            assertThat(c.isValid(5)).isTrue();
        }
        assertThatThrownBy(() -> primary.connect("md5user", "wrong").close())
                .hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> primary.connect(PgCluster.DEFAULT_USER, "wrong").close())
                .hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> primary.connect("blocked", "blocked-pw").close())
                .hasMessageContaining("pg_hba.conf rejects");
    }

    @Test
    void psqlAndPgbenchRunAgainstANode() {
        PgNode primary = PG.cluster().primary();
        assertThat(primary.psql("SELECT 40 + 2")).isEqualTo("42\n");
        assertThat(primary.psqlCommand("-c", "SELECT no_such_column").exitCode()).isNotZero();
        ProcessResult init = primary.pgbench("-i", "-s", "1", "-q");
        assertThat(init.exitCode()).as(init.output()).isZero();
        ProcessResult run = primary.pgbench("-c", "2", "-t", "10", "-n");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.stdout()).contains("number of transactions actually processed: 20/20");
    }

    @Test
    void serverLogIsReadable() {
        assertThat(PG.cluster().node(1).log()).contains("started streaming WAL");
    }
}
