package org.vxpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vxpool.testkit.ProcessResult;
import org.vxpool.testkit.Processes;

/**
 * The shipped artefact: {@code bin/vxpool} on the shaded jar, run as an operator would, with a
 * clustered node.
 */
class FatJarIT {

    private static final Path ROOT = Path.of(System.getProperty("vxpool.root", "..")).toAbsolutePath().normalize();
    private static final Path JAR = ROOT.resolve("launcher/target/vxpool.jar");

    @TempDir
    Path dir;

    @Test
    void binVxpoolRunsAClusteredNodeFromTheShadedJarAndStopsIt() throws Exception {
        assertThat(JAR).exists();
        NodeFiles node = NodeFiles.allocate(dir, "jar");
        node.writeConfig(true, List.of());

        try (Processes.Spawned vxpool = vxpool("-f", node.config().toString())
                .start(node.dir().resolve("output.txt"))) {
            VxpoolProcess.Health health = VxpoolProcess.awaitMembers(node.healthUrl(), 1, Duration.ofSeconds(90));
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.cluster().getBoolean("clustered")).isTrue();

            ProcessResult stop = vxpool("-f", node.config().toString(), "-m", "fast", "stop").run();
            assertThat(stop.exitCode()).as(stop.output()).isZero();
            assertThat(stop.stdout()).contains("vxpool stopped");
            assertThat(vxpool.waitFor(Duration.ofSeconds(5))).contains(0);
            // The manifest's Add-Opens entries keep Hazelcast from asking for JVM flags.
            assertThat(vxpool.output()).doesNotContain("Java modular environment");
        }
        assertThat(node.pidFile()).doesNotExist();
        assertThat(Files.readString(node.logdir().resolve("vxpool.log"))).contains("admin API listening");
    }

    /**
     * vertx-hazelcast and vertx-sql-client both ship this service file; without the shade
     * plugin's ServicesResourceTransformer one of them silently replaces the other.
     */
    @Test
    void theShadedJarKeepsEveryVertxServiceProvider() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            ZipEntry services = jar.getEntry("META-INF/services/io.vertx.core.spi.VertxServiceProvider");
            assertThat(services).isNotNull();
            String text = new String(jar.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text).contains("io.vertx.spi.cluster.hazelcast.HazelcastClusterManager")
                    .contains("io.vertx.sqlclient.impl.TransactionPropagationLocal");
            assertThat(jar.getManifest().getMainAttributes().getValue("Add-Opens")).contains("java.base/sun.nio.ch");
        }
    }

    @Test
    void theSampleLogbackConfigurationWritesToTheConfiguredLogdir() throws Exception {
        NodeFiles node = NodeFiles.allocate(dir, "conf-logback");
        node.writeConfig(false, List.of());
        String options = "-Dlogback.configurationFile=" + ROOT.resolve("conf/logback.xml");

        // The sample falls back to the working directory without vxpool.logdir: run in the node's
        // directory to see that no log file appears there before the launcher sets the property.
        try (Processes.Spawned vxpool = vxpoolWith(options, "-f", node.config().toString()).dir(node.dir())
                .start(node.dir().resolve("output.txt"))) {
            VxpoolProcess.awaitMembers(node.healthUrl(), 1, Duration.ofSeconds(60));
            ProcessResult stop = vxpoolWith(options, "-f", node.config().toString(), "stop").run();
            assertThat(stop.exitCode()).as(stop.output()).isZero();
            assertThat(vxpool.waitFor(Duration.ofSeconds(5))).contains(0);
        }
        assertThat(Files.readString(node.logdir().resolve("vxpool.log")))
                .contains("admin API listening on 127.0.0.1:" + node.adminPort())
                .contains("received SIGTERM: smart shutdown");
        assertThat(node.dir().resolve("vxpool.log")).doesNotExist();
    }

    private static Processes.Command vxpool(String... args) {
        return vxpoolWith("", args);
    }

    private static Processes.Command vxpoolWith(String javaOptions, String... args) {
        List<String> argv = new ArrayList<>(List.of("bash", ROOT.resolve("bin/vxpool").toString()));
        argv.addAll(List.of(args));
        return Processes.command(argv)
                .env("VXPOOL_JAVA_OPTS", "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 " + javaOptions)
                .timeout(Duration.ofSeconds(90));
    }
}
