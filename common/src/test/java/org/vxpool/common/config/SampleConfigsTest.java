package org.vxpool.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped sample under {@code conf/} must load; its only warnings may be unsupported names. */
class SampleConfigsTest {

    static Path confDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("conf"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no conf/ directory above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("conf");
    }

    static List<Path> samples() throws IOException {
        try (Stream<Path> files = Files.list(confDir())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".conf"))
                    .filter(f -> !f.getFileName().toString().equals("pool_hba.conf"))
                    // admin credentials, user:md5 lines; PcpAuthFileTest (admin-verticle) loads it
                    .filter(f -> !f.getFileName().toString().equals("pcp.conf"))
                    .sorted().toList();
        }
    }

    @Test
    void thereAreSamples() throws IOException {
        assertThat(samples()).extracting(p -> p.getFileName().toString())
                .contains("osspc19.conf", "osspc20.conf", "vxpool-3node.conf");
    }

    @ParameterizedTest
    @MethodSource("samples")
    void loadsWithoutErrors(Path file) {
        // 4.x samples are shared by all nodes and name the node in pgpool_node_id; supply one.
        PoolConfig c = ConfigLoader.load(file, OptionalInt.of(0));
        assertThat(c.backends()).isNotEmpty();
        assertThat(c.warningProblems())
                .allSatisfy(w -> assertThat(Params.isUnsupported(w.key())).as(w.toString()).isTrue());
    }

    @Test
    void tutorialPairDescribesTheSameCluster() throws IOException {
        PoolConfig a = ConfigLoader.load(confDir().resolve("osspc19.conf"));
        PoolConfig b = ConfigLoader.load(confDir().resolve("osspc20.conf"));
        assertThat(a.clusteringMode()).isEqualTo(ClusteringMode.STREAMING_REPLICATION);
        assertThat(a.get(Params.PORT)).isEqualTo(9999);
        assertThat(a.get(Params.LOAD_BALANCE_MODE)).isTrue();
        assertThat(a.get(Params.HEALTH_CHECK_PERIOD)).isEqualTo(5);
        assertThat(a.get(Params.WD_INTERVAL)).isEqualTo(3);
        assertThat(a.watchdog().enabled()).isTrue();
        assertThat(a.watchdog().members()).isEqualTo(b.watchdog().members());
        assertThat(a.watchdog().self().host()).isEqualTo("osspc19");
        assertThat(b.watchdog().self().host()).isEqualTo("osspc20");
        assertThat(a.backends()).extracting(BackendConfig::host).containsExactly("osspc19", "osspc20");
        assertThat(a.get(Params.WRITE_FUNCTION_LIST)).containsExactly("nextval", "setval");
        assertThat(a.resolve(a.get(Params.POOL_PASSWD))).isEqualTo(confDir().resolve("pool_passwd"));
    }

    @Test
    void threeNodeSampleUsesNodeIds() {
        PoolConfig c = ConfigLoader.load(confDir().resolve("vxpool-3node.conf"), OptionalInt.of(2));
        assertThat(c.watchdog().self()).isEqualTo(new WatchdogMember(2, "server3", 9000, 9999));
        assertThat(c.watchdog().size()).isEqualTo(3);
        assertThat(c.get(Params.HEALTH_CHECK_MAX_RETRIES_N, 2)).isEqualTo(5);
        assertThat(c.get(Params.HEALTH_CHECK_MAX_RETRIES_N, 0)).isEqualTo(2);
        assertThat(c.get(Params.DELAY_THRESHOLD)).isEqualTo(16L * 1024 * 1024);
        assertThat(c.get(Params.AUTHENTICATION_TIMEOUT)).isEqualTo(60);
        assertThat(c.get(Params.IF_UP_CMD)).contains("$_IP_$");
        // conf/follow_primary.sh reads pgpool's arguments in this order (it/FollowPrimaryScriptTest runs it).
        assertThat(c.get(Params.FOLLOW_PRIMARY_COMMAND))
                .isEqualTo("/etc/vxpool/follow_primary.sh %d %h %p %D %m %H %M %P %r %R %N %S");
        assertThat(confDir().resolve("follow_primary.sh")).isExecutable();
    }
}
