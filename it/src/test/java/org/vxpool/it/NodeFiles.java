package org.vxpool.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vxpool.admin.auth.PcpAuthFile;
import org.vxpool.testkit.FreePorts;
import org.vxpool.testkit.PgCluster;

/**
 * One vxpool node's files and ports for a test: its pgpool.conf (tutorial 3.x watchdog style),
 * logdir and pid file, all under its own directory.
 */
record NodeFiles(String name, Path dir, int proxyPort, int wdPort, int adminPort) {

    static NodeFiles allocate(Path parent, String name) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name));
        return new NodeFiles(name, dir, FreePorts.find(), FreePorts.find(), FreePorts.find());
    }

    /** Nodes {@code a} and {@code b}, each configured with the other as its watchdog peer, in front of {@code backendPorts}. */
    static List<NodeFiles> watchdogPair(Path parent, List<Integer> backendPorts) throws IOException {
        NodeFiles a = allocate(parent, "a");
        NodeFiles b = allocate(parent, "b");
        a.writeConfig(true, List.of(b), backendPorts);
        b.writeConfig(true, List.of(a), backendPorts);
        return List.of(a, b);
    }

    Path config() {
        return dir.resolve("pgpool.conf");
    }

    Path pidFile() {
        return dir.resolve("run/vxpool.pid");
    }

    Path logdir() {
        return dir.resolve("log");
    }

    String healthUrl() {
        return "http://127.0.0.1:" + adminPort + "/health";
    }

    /**
     * Writes the config with a placeholder backend on a port where nothing listens: loading needs
     * {@code backend_hostname0}, and these tests do not use it.
     */
    Path writeConfig(boolean watchdog, List<NodeFiles> others) throws IOException {
        return writeConfig(watchdog, others, List.of(FreePorts.find()));
    }

    /**
     * Writes pool_hba.conf (md5 from 127.0.0.1), pool_passwd (the cluster's user, clear text) and
     * pcp.conf ({@code admin}) into the node's directory.
     *
     * @return the settings that use them, with the 1 s health check and sr check as that user
     */
    List<String> writeAuthFiles(PgCluster pg, String admin, String adminPassword) throws IOException {
        Files.writeString(dir.resolve("pool_hba.conf"), "host all all 127.0.0.1/32 md5\n");
        Files.writeString(dir.resolve("pool_passwd"), pg.user() + ":TEXT" + pg.password() + "\n");
        Files.writeString(dir.resolve("pcp.conf"), admin + ":" + PcpAuthFile.md5Hex(adminPassword) + "\n");
        return new ArrayList<>(List.of(
                "enable_pool_hba = on",
                "pool_passwd = 'pool_passwd'",
                "health_check_period = 1",
                // Retries: a busy shared machine must not fail a healthy backend before the test kills one.
                "health_check_timeout = 10",
                "health_check_max_retries = 2",
                "health_check_retry_delay = 1",
                "health_check_user = '" + pg.user() + "'",
                "health_check_password = '" + pg.password() + "'",
                "sr_check_user = '" + pg.user() + "'",
                "sr_check_password = '" + pg.password() + "'"));
    }

    /** Writes the config with backends on 127.0.0.1 at {@code backendPorts}, node 0 first. */
    Path writeConfig(boolean watchdog, List<NodeFiles> others, List<Integer> backendPorts) throws IOException {
        return writeConfig(watchdog, others, backendPorts, List.of());
    }

    /** The same, with {@code extra} lines at the end (later settings win). */
    Path writeConfig(boolean watchdog, List<NodeFiles> others, List<Integer> backendPorts, List<String> extra)
            throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "# written by " + getClass().getName() + " for node " + name,
                "backend_clustering_mode = 'streaming_replication'",
                "listen_addresses = '127.0.0.1'",
                "port = " + proxyPort,
                "logdir = '" + logdir() + "'",
                "pid_file_name = '" + pidFile() + "'",
                "admin_listen_addresses = '127.0.0.1'",
                "admin_port = " + adminPort,
                "use_watchdog = " + (watchdog ? "on" : "off"),
                "wd_hostname = '127.0.0.1'",
                "wd_port = " + wdPort,
                "wd_interval = 1",
                "wd_heartbeat_deadtime = 5"));
        for (int i = 0; i < backendPorts.size(); i++) {
            lines.add("backend_hostname" + i + " = '127.0.0.1'");
            lines.add("backend_port" + i + " = " + backendPorts.get(i));
        }
        for (int i = 0; i < others.size(); i++) {
            NodeFiles other = others.get(i);
            lines.add("other_pgpool_hostname" + i + " = '127.0.0.1'");
            lines.add("other_pgpool_port" + i + " = " + other.proxyPort());
            lines.add("other_wd_port" + i + " = " + other.wdPort());
        }
        lines.addAll(extra);
        return Files.write(config(), lines);
    }
}
