package org.vxpool.it.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.vxpool.common.model.NodeRole;
import org.vxpool.common.model.NodeStatus;
import org.vxpool.it.VxpoolProcess;
import org.vxpool.testkit.PgCluster;
import org.vxpool.testkit.PgNode;
import org.vxpool.testkit.StopMode;
import org.vxpool.testkit.netns.NetnsLab;

/**
 * The tutorial's network built inside one test: host namespaces on a private bridge, a real
 * PostgreSQL primary on {@code osspc19} and its streaming standby on {@code osspc20}, and one vxpool
 * JVM per host that runs a node, each with its own directory (config, logdir, pid file, socket
 * dir). Clients are real {@code psql} processes on {@code someserver}.
 *
 * <p>Ports inside the namespaces are the tutorial's fixed ones (9999, 9000, 9898): every namespace
 * is this test's own and nothing else can bind there. The PostgreSQL servers keep the free ports
 * the fixture probed in the root namespace.
 */
final class TutorialNetwork implements AutoCloseable {

    static final String CLIENT_HOST = "someserver";
    static final int PROXY_PORT = 9999;
    static final int WD_PORT = 9000;
    static final int ADMIN_PORT = 9898;
    /** A host lookup or start on a loaded 2-core machine: JVM start, Hazelcast join. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Map<String, Integer> DB_HOSTS = Map.of("osspc19", 0, "osspc20", 1);

    private final NetnsLab lab;
    private final Path dir;
    private final String vip;
    private final List<String> vxpoolHosts;
    private final Set<String> witnesses;
    private final Map<String, Integer> starts = new LinkedHashMap<>();
    private final Map<String, Process> running = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private PgCluster pg;

    private TutorialNetwork(NetnsLab lab, Path dir, List<String> vxpoolHosts, Set<String> witnesses) {
        this.lab = lab;
        this.dir = dir;
        this.vxpoolHosts = List.copyOf(vxpoolHosts);
        this.witnesses = Set.copyOf(witnesses);
        this.vip = lab.address(200);
    }

    /**
     * Builds the lab with {@code osspc19}, {@code osspc20} and {@link #CLIENT_HOST} (plus
     * {@code extraHosts}), moves a primary/standby pair into the first two and writes one vxpool
     * config per host of {@code vxpoolHosts}. Nothing is started on the vxpool side yet.
     */
    static TutorialNetwork create(Path dir, List<String> vxpoolHosts, Set<String> witnesses) throws IOException {
        List<String> hosts = new ArrayList<>(List.of("osspc19", "osspc20", CLIENT_HOST));
        vxpoolHosts.stream().filter(h -> !hosts.contains(h)).forEach(hosts::add);
        TutorialNetwork net = new TutorialNetwork(NetnsLab.create(hosts.toArray(String[]::new)), dir, vxpoolHosts,
                witnesses);
        try {
            net.startDatabases();
            for (String host : vxpoolHosts) {
                net.writeConfig(host);
            }
            return net;
        } catch (RuntimeException | IOException e) {
            net.close();
            throw e;
        }
    }

    NetnsLab lab() {
        return lab;
    }

    String vip() {
        return vip;
    }

    PgNode db(int id) {
        return pg.node(id);
    }

    /** The fixture behind both servers (its OS user, binaries, credentials and directory). */
    PgCluster cluster() {
        return pg;
    }

    // ---- PostgreSQL ----

    /**
     * The fixture sets the pair up on 127.0.0.1 (initdb template, roles, base backup); then both
     * servers restart inside their host namespaces, listening on the host's lab address, and the
     * standby streams from the primary's lab address.
     */
    private void startDatabases() {
        String subnet = lab.address(0) + "/" + lab.prefixLength();
        pg = PgCluster.builder().standbys(1)
                .hbaLine("host replication all " + subnet + " trust")
                .hbaLine("host all all " + subnet + " scram-sha-256")
                .start();
        PgNode primary = pg.node(0);
        PgNode standby = pg.node(1);
        standby.stop(StopMode.FAST);
        primary.stop(StopMode.FAST);
        primary.runInside(lab.inHost("osspc19"), Map.of("listen_addresses", lab.addressOf("osspc19")));
        standby.runInside(lab.inHost("osspc20"), Map.of("listen_addresses", lab.addressOf("osspc20"),
                "primary_conninfo", "host=" + lab.addressOf("osspc19") + " port=" + primary.port() + " user="
                        + pg.osUser().name() + " application_name=" + standby.applicationName()));
        primary.start();
        standby.start();
        waitFor("the standby to stream from the primary inside the lab", Duration.ofSeconds(30),
                () -> "streaming".equals(sqlOn("osspc19", "SELECT state FROM pg_stat_replication").output().strip()));
    }

    /** psql from inside {@code host} to the database server of that host, directly (not through vxpool). */
    NetnsLab.Result sqlOn(String host, String sql) {
        return psql(host, lab.addressOf(host), db(DB_HOSTS.get(host)).port(), sql);
    }

    /** Real psql on {@link #CLIENT_HOST} through the delegate IP: one probe, 2 s connect timeout. */
    NetnsLab.Result sqlViaVip(String sql) {
        return psql(CLIENT_HOST, vip, PROXY_PORT, sql);
    }

    private NetnsLab.Result psql(String host, String address, int port, String sql) {
        return lab.exec(host, "env", "PGCONNECT_TIMEOUT=2", "PGPASSWORD=" + pg.password(),
                pg.binaries().tool("psql"), "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", address, "-p", String.valueOf(port), "-U", pg.user(), "-d", "postgres", "-c", sql);
    }

    // ---- vxpool nodes ----

    /** The host's own directory: its vxpool config, run and log directories, and outputs ({@code *.txt}, kept). */
    Path hostDir(String host) {
        return dir.resolve(host);
    }

    private Path config(String host) {
        return hostDir(host).resolve("pgpool.conf");
    }

    private void writeConfig(String host) throws IOException {
        boolean witness = witnesses.contains(host);
        Path home = Files.createDirectories(hostDir(host));
        Files.createDirectories(home.resolve("run"));
        String dev = lab.interfaceOf(host);
        List<String> lines = new ArrayList<>(List.of(
                "# vxpool node on " + host + ", written by " + getClass().getName() + " (tutorial, 3.x watchdog style)",
                "listen_addresses = '*'",
                "port = " + PROXY_PORT,
                "socket_dir = '" + home.resolve("run") + "'",
                "pcp_socket_dir = '" + home.resolve("run") + "'",
                "wd_ipc_socket_dir = '" + home.resolve("run") + "'",
                "pid_file_name = '" + home.resolve("run/vxpool.pid") + "'",
                "logdir = '" + home.resolve("log") + "'",
                "admin_listen_addresses = '127.0.0.1'",
                "admin_port = " + ADMIN_PORT,
                "backend_clustering_mode = 'streaming_replication'",
                "load_balance_mode = off",
                "health_check_period = 1",
                // A stopped server refuses at once, so this bounds only a slow answer: with 3 s, a
                // node starting at load 20 timed out on both live servers and failed them over.
                "health_check_timeout = 10",
                "health_check_max_retries = 0",
                "health_check_user = '" + pg.user() + "'",
                "health_check_password = '" + pg.password() + "'",
                "sr_check_user = '" + pg.user() + "'",
                "sr_check_password = '" + pg.password() + "'",
                "failover_on_backend_error = on",
                "builtin_promote = on",
                "search_primary_node_timeout = 30",
                "use_watchdog = on",
                "proxy_enabled = " + (witness ? "off" : "on"),
                "enable_consensus_with_half_votes = on",
                "delegate_IP = '" + vip + "'",
                "if_up_cmd = 'ip addr add $_IP_$/" + lab.prefixLength() + " dev " + dev + " label " + dev + ":0'",
                "if_down_cmd = 'ip addr del $_IP_$/" + lab.prefixLength() + " dev " + dev + "'",
                "arping_cmd = 'arping -U $_IP_$ -w 1 -I " + dev + "'",
                "wd_hostname = '" + lab.addressOf(host) + "'",
                "wd_port = " + WD_PORT,
                "wd_interval = 1",
                "wd_heartbeat_deadtime = 5"));
        for (int id = 0; id < 2; id++) {
            PgNode db = pg.node(id);
            lines.add("backend_hostname" + id + " = '" + lab.addressOf(id == 0 ? "osspc19" : "osspc20") + "'");
            lines.add("backend_port" + id + " = " + db.port());
            lines.add("backend_data_directory" + id + " = '" + db.dataDir() + "'");
            lines.add("backend_flag" + id + " = 'ALLOW_TO_FAILOVER'");
            lines.add("backend_application_name" + id + " = '" + db.applicationName() + "'");
        }
        List<String> others = vxpoolHosts.stream().filter(h -> !h.equals(host)).toList();
        for (int i = 0; i < others.size(); i++) {
            lines.add("other_pgpool_hostname" + i + " = '" + lab.addressOf(others.get(i)) + "'");
            lines.add("other_pgpool_port" + i + " = " + PROXY_PORT);
            lines.add("other_wd_port" + i + " = " + WD_PORT);
        }
        Files.write(config(host), lines);
    }

    /** Appends {@code lines} to the host's config (later settings win); call before its vxpool starts. */
    void appendConfig(String host, List<String> lines) throws IOException {
        Files.write(config(host), lines, StandardOpenOption.APPEND);
    }

    /** Sets {@code name=value} in the environment of every vxpool started from now on (and so of its scripts). */
    void environment(String name, String value) {
        environment.put(name, value);
    }

    /** Starts the host's vxpool JVM inside its namespace; returns without waiting for it. */
    void startVxpool(String host) {
        int start = starts.merge(host, 1, Integer::sum);
        List<String> argv = new ArrayList<>();
        if (!environment.isEmpty()) {
            argv.add("env");
            environment.forEach((name, value) -> argv.add(name + "=" + value));
        }
        argv.addAll(VxpoolProcess.launcherCommand("-f", config(host).toString()));
        running.put(host, lab.start(host, output(host, start), argv.toArray(String[]::new)));
    }

    /** Starts it and waits until its admin API answers (every verticle is deployed). */
    void startVxpoolAndWait(String host) {
        startVxpool(host);
        awaitUp(host);
    }

    void awaitUp(String host) {
        waitFor("vxpool on " + host + " to answer /health", START_TIMEOUT, () -> {
            if (!running.get(host).isAlive()) {
                throw new AssertionError("vxpool on " + host + " exited during start:\n" + tail(host));
            }
            return adminGet(host, "/health").startsWith("200 ");
        });
    }

    /**
     * {@code GET path} on the host's admin API (127.0.0.1 inside its namespace) with bash's
     * {@code /dev/tcp}, so the test needs no HTTP client installed there. Returns
     * {@code "STATUS BODY"}, or {@code "000 <why>"} when nothing answered within 3 s.
     */
    String adminGet(String host, String path) {
        NetnsLab.Result r = lab.exec(host, "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + ADMIN_PORT
                + " && printf 'GET %s HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n' \"$1\" >&3 && timeout 3 cat <&3",
                "admin-get", path);
        String reply = r.output();
        int head = reply.indexOf("\r\n\r\n");
        if (!reply.startsWith("HTTP/1.") || head < 0) {
            return "000 " + reply.strip();
        }
        return reply.substring(9, 12) + " " + reply.substring(head + 4);
    }

    private Path output(String host, int start) {
        return hostDir(host).resolve("output-" + start + ".txt");
    }

    /** Everything the host's current (or last) vxpool JVM has written. */
    String currentOutput(String host) {
        try {
            Path out = output(host, starts.getOrDefault(host, 0));
            return Files.exists(out) ? Files.readString(out) : "";
        } catch (IOException e) {
            return "<cannot read: " + e.getMessage() + ">";
        }
    }

    /** Waits until the host's current JVM has written a line containing {@code text}. */
    void awaitOutput(String host, String text) {
        waitFor("'" + text + "' from " + host, Duration.ofSeconds(20), () -> currentOutput(host).contains(text));
    }

    /**
     * Wall-clock time (epoch ms) of the first output line of the host's current JVM that contains
     * {@code text}, from logback's {@code yyyy-MM-dd HH:mm:ss.SSS} prefix (same machine, same
     * clock and zone as this test).
     */
    long loggedAt(String host, String text) {
        String line = currentOutput(host).lines().filter(l -> l.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + text + "' from " + host + ":\n" + tail(host)));
        LocalDateTime at = LocalDateTime.parse(line.substring(0, 23).replace(' ', 'T'));
        return at.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    }

    private String tail(String host) {
        List<String> lines = currentOutput(host).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /**
     * {@code vxpool -f CONFIG stop} inside the host's namespace, started in the background so the
     * caller can measure what happens meanwhile; the returned process ends when the node has.
     */
    Process stopVxpool(String host) {
        List<String> argv = VxpoolProcess.launcherCommand("-f", config(host).toString(), "stop");
        return lab.start(host, hostDir(host).resolve("stop-" + starts.get(host) + ".txt"), argv.toArray(String[]::new));
    }

    /**
     * {@code vxpool -f CONFIG release-ip} inside the host's namespace, as systemd's ExecStopPost
     * runs it after the node exited; returns when it has.
     */
    NetnsLab.Result releaseIp(String host) {
        return lab.exec(host, VxpoolProcess.launcherCommand("-f", config(host).toString(), "release-ip")
                .toArray(String[]::new));
    }

    /** SIGKILL of the host's vxpool JVM (its database server, if any, keeps running). */
    void killVxpool(String host) {
        Process p = running.get(host);
        p.destroyForcibly();
        try {
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("vxpool on " + host + " gone after SIGKILL").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Process process(String host) {
        return running.get(host);
    }

    /** The ClusterView that the host's node routes by ({@code GET /api/v1/view}). */
    JsonObject view(String host) {
        String reply = adminGet(host, "/api/v1/view");
        if (!reply.startsWith("200 ")) {
            throw new AssertionError("GET /api/v1/view on " + host + ": " + reply);
        }
        return new JsonObject(reply.substring(4));
    }

    /**
     * {@code SHOW pool_nodes} by a real psql inside the host's namespace, through that host's own
     * vxpool (its lab address, port 9999), as rows {@code node_id|hostname|port|status|role}:
     * counters and timestamps differ between nodes by design and are left out. A witness runs no
     * proxy; its rows are read from the view it holds ({@code /api/v1/view}), in the same words.
     */
    List<String> poolNodes(String host) {
        if (witnesses.contains(host)) {
            return view(host).getJsonArray("nodes").stream().map(JsonObject.class::cast)
                    .map(n -> String.join("|", String.valueOf(n.getInteger("id")), n.getString("host"),
                            String.valueOf(n.getInteger("port")), NodeStatus.valueOf(n.getString("status")).pgpoolName(),
                            NodeRole.valueOf(n.getString("role")).word()))
                    .toList();
        }
        NetnsLab.Result r = psql(host, lab.addressOf(host), PROXY_PORT, "SHOW pool_nodes");
        if (!r.ok()) {
            return List.of("psql SHOW pool_nodes on " + host + " failed: " + r.output().strip());
        }
        return r.output().lines().filter(l -> !l.isBlank()).map(l -> {
            String[] c = l.split("\\|", -1);
            return c.length < 7 ? "unexpected row: " + l : String.join("|", c[0], c[1], c[2], c[3], c[6]);
        }).toList();
    }

    /**
     * Waits until {@code SHOW pool_nodes} gives the same rows on every one of {@code hosts}
     * (Standbys take the Active's publish, so one may lag by a message) and backend {@code i}
     * shows its configured host and port with "status/role" matching the regular expression
     * {@code expected[i]} in pgpool's words (for example {@code down/.*}, {@code up/primary}).
     */
    void awaitSamePoolNodes(List<String> hosts, String... expected) {
        Map<String, List<String>> last = new LinkedHashMap<>();
        try {
            waitFor("SHOW pool_nodes alike on " + hosts + " with backends " + List.of(expected), Duration.ofSeconds(20),
                    () -> {
                        last.clear();
                        hosts.forEach(h -> last.put(h, poolNodes(h)));
                        List<String> first = last.get(hosts.get(0));
                        return last.values().stream().allMatch(first::equals) && matches(first, expected);
                    });
        } catch (AssertionError e) {
            // The output of each node whose view is not the expected one says why it lags.
            StringBuilder why = new StringBuilder(e.getMessage()).append("; last SHOW pool_nodes: ").append(last);
            last.forEach((host, rows) -> {
                if (!matches(rows, expected)) {
                    why.append("\n--- output of ").append(host).append(":\n").append(tail(host));
                }
            });
            throw new AssertionError(why.toString(), e);
        }
    }

    private boolean matches(List<String> rows, String... expected) {
        return rows.size() == expected.length && IntStream.range(0, expected.length).allMatch(i -> {
            String[] statusRole = expected[i].split("/", 2);
            String where = i + "|" + lab.addressOf(i == 0 ? "osspc19" : "osspc20") + "|" + db(i).port() + "|";
            return rows.get(i).matches(Pattern.quote(where) + statusRole[0] + "\\|" + statusRole[1]);
        });
    }

    /** Hosts that have the delegate IP configured right now. */
    List<String> holders() {
        return vxpoolHosts.stream().filter(h -> lab.hasAddress(h, vip)).toList();
    }

    // ---- waiting ----

    /**
     * Polls {@code condition} (every 100 ms, one probe at a time) until it holds; returns the
     * elapsed milliseconds. Exceptions from the condition propagate: use them for invariants that
     * must hold at every sample.
     */
    static long waitFor(String what, Duration timeout, BooleanSupplier condition) {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > timeout.toNanos()) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            sleep(100);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Keeps every node's output and log and the servers' logs under {@code target/}, for reading
     * after a failure in CI, then stops the servers and tears the lab down (every process it
     * started, every namespace).
     */
    void close(String testName) {
        try {
            keepLogs(Path.of("target", "netns-e2e-logs", testName));
        } catch (IOException | RuntimeException e) {
            System.err.println("could not keep the logs of " + testName + ": " + e);
        }
        close();
    }

    @Override
    public void close() {
        try {
            if (pg != null) {
                pg.close();
            }
        } finally {
            lab.close();
        }
    }

    private void keepLogs(Path keep) throws IOException {
        Files.createDirectories(keep);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".txt") || p.toString().endsWith(".log")
                    || p.getFileName().toString().equals("pgpool_status")).toList();
        }
        for (Path file : files) {
            String name = dir.relativize(file).toString().replace('/', '_');
            Files.copy(file, keep.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        if (pg != null) {
            for (PgNode db : pg.nodes()) {
                if (Files.exists(db.logFile())) {
                    Files.copy(db.logFile(), keep.resolve("pg-node" + db.id() + ".log"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
