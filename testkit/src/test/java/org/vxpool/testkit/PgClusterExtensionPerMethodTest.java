package org.vxpool.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An extension on an instance field gives every test its own fresh cluster. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgClusterExtensionPerMethodTest {

    private static Path firstDir;
    private static long firstPid;

    @RegisterExtension
    final PgClusterExtension pg = new PgClusterExtension(PgCluster.builder());

    @Test
    @Order(1)
    void firstTestGetsARunningPrimary() {
        assertThat(pg.cluster().primary().queryValue("SELECT current_user")).isEqualTo("vxtest");
        pg.cluster().primary().execute("CREATE TABLE only_in_first(x int)");
        firstDir = pg.cluster().dir();
        firstPid = pg.cluster().primary().pid().orElseThrow();
    }

    @Test
    @Order(2)
    void secondTestGetsAFreshClusterAndTheFirstIsGone() {
        assertThat(pg.cluster().dir()).isNotEqualTo(firstDir);
        assertThat(Files.exists(firstDir)).isFalse();
        assertThat(Processes.isAlive(firstPid)).isFalse();
        assertThat(pg.cluster().primary().queryValue("SELECT to_regclass('only_in_first') IS NULL")).isEqualTo("t");
    }
}
