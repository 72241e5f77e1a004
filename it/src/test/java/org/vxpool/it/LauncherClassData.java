package org.vxpool.it;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An application class-data archive (AppCDS) of the launcher's classes, made once per test JVM,
 * which every vxpool JVM the tests start then maps instead of loading and verifying Vert.x,
 * Hazelcast and Netty class by class: a node start took 4.3 s instead of 6.8-7.7 s on the
 * loaded 2-core CI machine. The archive is made by a training run, a node started and stopped
 * (SIGTERM) with {@code -XX:ArchiveClassesAtExit}; when that fails, nodes start without it.
 *
 * <p>CDS cannot archive classes from a non-empty directory on the class path, so the archive covers
 * the test class path's jars; the directories (this module's test classes, which no node loads)
 * come after them on every launcher's class path. {@code -Dvxpool.it.cds=false} turns it off.
 */
final class LauncherClassData {
    private static final String MAIN = "org.vxpool.launcher.Main";
    private static List<String> options;

    private LauncherClassData() {
    }

    /** The class path of a launched node: the jars of {@code classPath} in order, then its directories. */
    static String classPath(String classPath) {
        List<String> jars = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                (entry.endsWith(".jar") ? jars : dirs).add(entry);
            }
        }
        jars.addAll(dirs);
        return String.join(File.pathSeparator, jars);
    }

    /**
     * The JVM options that map the archive, made on the first call; none when it could not be
     * made. A JVM that cannot use it (a class path changed since) starts without it, silently: the
     * log tags are off so that no warning lands in a node's output, which tests read.
     */
    static synchronized List<String> options(String java, List<String> jvmOptions, String classPath) {
        if (options == null) {
            // -Dvxpool.it.cds=false: nodes start as without the archive (to compare, or to rule it out)
            options = Boolean.parseBoolean(System.getProperty("vxpool.it.cds", "true"))
                    ? train(java, jvmOptions, classPath) : List.of();
        }
        return options;
    }

    private static List<String> train(String java, List<String> jvmOptions, String classPath) {
        String jars = String.join(File.pathSeparator, List.of(classPath.split(File.pathSeparator)).stream()
                .filter(e -> e.endsWith(".jar")).toList());
        Path dir = Path.of("target", "launcher-cds").toAbsolutePath();
        Path archive = dir.resolve("launcher.jsa");
        Process node = null;
        try {
            Files.createDirectories(dir.resolve("run"));
            Files.deleteIfExists(archive);
            // left behind by a training node of an earlier build that was killed
            Files.deleteIfExists(dir.resolve("run").resolve("vxpool.pid"));
            Path config = dir.resolve("pgpool.conf");
            Path output = dir.resolve("training.txt");
            Files.write(config, trainingConfig(dir));
            List<String> argv = new ArrayList<>(List.of(java));
            argv.addAll(jvmOptions);
            argv.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-cp", jars, MAIN, "-f", config.toString(), "-n"));
            node = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.readString(output).contains("vxpool started")) {
                if (!node.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("the training node did not start; see " + output);
                }
                Thread.sleep(100);
            }
            node.destroy();
            if (!node.waitFor(60, TimeUnit.SECONDS) || !Files.isRegularFile(archive) || Files.size(archive) == 0) {
                throw new IOException("no archive written at the training node's exit; see " + output);
            }
            return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        } catch (IOException e) {
            System.err.println("launcher class-data archive not made, nodes start without it: " + e.getMessage());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (node != null) {
                node.destroyForcibly();
            }
        }
    }

    /**
     * A node that loads what every test's node loads (watchdog with Hazelcast, proxy, admin API)
     * on free loopback ports; its one peer never comes and its backend refuses, which the start
     * does not wait for.
     */
    private static List<String> trainingConfig(Path dir) throws IOException {
        int[] ports = freePorts(5);
        String run = dir.resolve("run").toString();
        return List.of(
                "listen_addresses = '127.0.0.1'",
                "port = " + ports[0],
                "socket_dir = '" + run + "'",
                "pcp_socket_dir = '" + run + "'",
                "wd_ipc_socket_dir = '" + run + "'",
                "pid_file_name = '" + run + "/vxpool.pid'",
                "logdir = '" + dir.resolve("log") + "'",
                "admin_listen_addresses = '127.0.0.1'",
                "admin_port = " + ports[1],
                "backend_clustering_mode = 'streaming_replication'",
                "backend_hostname0 = '127.0.0.1'",
                "backend_port0 = 1",
                "use_watchdog = on",
                "wd_hostname = '127.0.0.1'",
                "wd_port = " + ports[2],
                "other_pgpool_hostname0 = '127.0.0.1'",
                "other_pgpool_port0 = " + ports[3],
                "other_wd_port0 = " + ports[4]);
    }

    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }
}
