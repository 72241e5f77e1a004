package org.vxpool.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A JVM that exits without closing its cluster still leaves no server and no directory. */
class ShutdownHookTest {

    /** Runs in a child JVM: starts a cluster, prints its directory and pids, exits without close(). */
    public static void main(String[] args) {
        PgCluster pg = PgCluster.builder().standbys(1).start();
        List<Long> pids = new ArrayList<>();
        for (PgNode node : pg.nodes()) {
            long pid = node.pid().orElseThrow();
            pids.add(pid);
            ProcessHandle.of(pid).orElseThrow().descendants().forEach(d -> pids.add(d.pid()));
        }
        System.out.println("CLUSTER " + pg.dir() + " " + pids.toString().replaceAll("[\\[\\] ]", ""));
        System.exit(0);
    }

    @Test
    void unclosedClusterIsCleanedUpAtJvmExit() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessResult child = Processes.command(java, "-cp", System.getProperty("java.class.path"),
                ShutdownHookTest.class.getName()).timeout(Duration.ofSeconds(120)).run();
        assertThat(child.exitCode()).as(child.output()).isZero();

        Matcher m = Pattern.compile("CLUSTER (\\S+) ([\\d,]+)").matcher(child.stdout());
        assertThat(m.find()).as(child.output()).isTrue();
        Path dir = Path.of(m.group(1));
        List<Long> pids = Arrays.stream(m.group(2).split(",")).map(Long::parseLong).toList();
        assertThat(pids).hasSizeGreaterThan(4);
        assertThat(Files.exists(dir)).isFalse();
        assertThat(Processes.awaitGone(pids, Duration.ofSeconds(10))).as("pids gone: " + pids).isTrue();
    }
}
