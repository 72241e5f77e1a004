package org.vxpool.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * One PostgreSQL server of a {@link PgCluster}: node 0 starts as the primary, nodes 1..n as
 * streaming standbys with {@code application_name} {@code node<id>}. Every wait is bounded
 * and fails with the server log tail.
 */
public final class PgNode {

    public static final String HOST = "127.0.0.1";
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration WAIT_TIMEOUT = Duration.ofSeconds(30);

    private final PgCluster cluster;
    private final int id;
    private int port;
    private final Path dataDir;
    private final Path logFile;
    private List<String> launchPrefix = List.of();
    private List<String> serverOptions = List.of();

    PgNode(PgCluster cluster, int id, int port) {
        this.cluster = cluster;
        this.id = id;
        this.port = port;
        this.dataDir = cluster.dir().resolve("node" + id);
        this.logFile = cluster.dir().resolve("node" + id + ".log");
    }

    public int id() {
        return id;
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** The {@code application_name} this node uses when it streams from a primary. */
    public String applicationName() {
        return "node" + id;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres}; credentials are {@link PgCluster#user()}/{@link PgCluster#password()}. */
    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
    }

    /** A new JDBC connection as the cluster's test user; the caller closes it. */
    public Connection connect() throws SQLException {
        return connect(cluster.user(), cluster.password());
    }

    public Connection connect(String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", "120");
        props.setProperty("ApplicationName", "vxpool-testkit");
        return DriverManager.getConnection(jdbcUrl(), props);
    }

    /** Runs a query as the test user; every value as text (SQL NULL as null). */
    public List<List<String>> query(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new PgFixtureException(this + ": query failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row, or null when there is no row. */
    public String queryValue(String sql) {
        List<List<String>> rows = query(sql);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    /** Executes one statement (or several separated by ';') as the test user; returns the update count. */
    public int execute(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
            return Math.max(st.getUpdateCount(), 0);
        } catch (SQLException e) {
            throw new PgFixtureException(this + ": statement failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Postmaster pid from {@code postmaster.pid}, present only while that process is alive. */
    public OptionalLong pid() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return OptionalLong.empty();
            }
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                return OptionalLong.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            return Processes.isAlive(pid) ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            // the server is writing or removing the file right now
            return OptionalLong.empty();
        }
    }

    public boolean isRunning() {
        return pid().isPresent();
    }

    public boolean isInRecovery() {
        return "t".equals(queryValue("SELECT pg_is_in_recovery()"));
    }

    /**
     * Starts the server and waits until it accepts connections. No-op when already running.
     * The postmaster is started directly (not through {@code pg_ctl start}) so that it is a
     * child of this JVM; see {@link PgOsUser#wrap}.
     */
    public void start() {
        if (isRunning()) {
            return;
        }
        List<String> argv = new ArrayList<>(launchPrefix);
        argv.addAll(cluster.osUser().wrap(List.of(cluster.binaries().tool("postgres"), "-D", dataDir.toString())));
        argv.addAll(serverOptions);
        Processes.Spawned postmaster = Processes.command(argv).dir(cluster.dir()).start(logFile);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!acceptsConnections(postmaster.pid())) {
            if (!postmaster.isAlive()) {
                throw failure("postmaster exited with code " + postmaster.waitFor(Duration.ZERO).orElse(-1)
                        + " during start");
            }
            if (System.nanoTime() > deadline) {
                postmaster.stop(Duration.ofSeconds(5));
                throw failure("not accepting connections after " + START_TIMEOUT.toSeconds() + " s");
            }
            Processes.sleep(50);
        }
    }

    /** Same test as {@code pg_ctl start -w}: the status line of postmaster.pid says ready or standby. */
    private boolean acceptsConnections(long postmasterPid) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.size() >= 8 && lines.get(0).trim().equals(String.valueOf(postmasterPid))
                    && (lines.get(7).trim().equals("ready") || lines.get(7).trim().equals("standby"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * From the next {@link #start()} on, runs the postmaster through {@code prefix} (for example
     * {@code ip netns exec NS}, which execs in place, so the postmaster stays this JVM's child)
     * with {@code settings} as {@code -c name=value} options, which override the config files:
     * for a node that moves into a network namespace with its own {@code listen_addresses} and
     * {@code primary_conninfo}. Stopping, killing and promoting still work (they go by pid and
     * data directory); the JDBC and psql helpers of this class, which use 127.0.0.1, do not reach
     * a node that no longer listens there.
     */
    public void runInside(List<String> prefix, Map<String, String> settings) {
        launchPrefix = List.copyOf(prefix);
        List<String> options = new ArrayList<>();
        settings.forEach((name, value) -> options.addAll(List.of("-c", name + "=" + value)));
        serverOptions = List.copyOf(options);
    }

    public void stop() {
        stop(StopMode.FAST);
    }

    /** {@code pg_ctl stop -m MODE}, then waits until the postmaster and all its children are gone. */
    public void stop(StopMode mode) {
        OptionalLong pid = pid();
        if (pid.isEmpty()) {
            return;
        }
        List<Long> tree = processTree(pid.getAsLong());
        ProcessResult result = pgCtl(START_TIMEOUT.plusSeconds(10), "stop", "-m", mode.pgCtlName(), "-w", "-t",
                String.valueOf(START_TIMEOUT.toSeconds()));
        if (!result.ok() && isRunning()) {
            throw failure("pg_ctl stop -m " + mode.pgCtlName() + " failed: " + result.output());
        }
        awaitTreeGone(tree);
    }

    /** SIGKILL of the postmaster only, like a crash; waits until its children have exited too. */
    public void kill() {
        OptionalLong pid = pid();
        if (pid.isEmpty()) {
            throw failure("kill: node is not running");
        }
        List<Long> tree = processTree(pid.getAsLong());
        ProcessHandle.of(pid.getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
        awaitTreeGone(tree);
    }

    /** {@code pg_ctl promote}, then waits until {@code pg_is_in_recovery()} is false. */
    public void promote() {
        ProcessResult result = pgCtl(WAIT_TIMEOUT.plusSeconds(10), "promote", "-w", "-t",
                String.valueOf(WAIT_TIMEOUT.toSeconds()));
        if (!result.ok()) {
            throw failure("pg_ctl promote failed: " + result.output());
        }
        Waits.until(WAIT_TIMEOUT, this + " leaves recovery after promote", () -> !isInRecovery(), this::logTail);
    }

    /** Waits until this standby has replayed the current WAL position of the cluster's primary. */
    public void waitForReplay() {
        waitForReplay(cluster.primary());
    }

    public void waitForReplay(PgNode primary) {
        if (primary == this) {
            throw failure("waitForReplay: node is the primary");
        }
        String lsn = primary.queryValue("SELECT pg_current_wal_lsn()");
        Waits.until(WAIT_TIMEOUT, this + " replays " + lsn + " of " + primary,
                () -> "t".equals(queryValue("SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn")),
                () -> logTail() + "\n--- primary " + primary + " ---\n" + primary.logTail());
    }

    /** Runs the real {@code psql -X -A -t -q -v ON_ERROR_STOP=1 -c SQL} as the test user; returns stdout. */
    public String psql(String sql) {
        return psqlCommand("-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql).requireOk().stdout();
    }

    /** Runs {@code psql -X ARGS} with host, port, user, password and database of this node in the environment. */
    public ProcessResult psqlCommand(String... args) {
        List<String> argv = new ArrayList<>(List.of(cluster.binaries().tool("psql"), "-X"));
        argv.addAll(List.of(args));
        return clientCommand(argv).timeout(Duration.ofSeconds(60)).run();
    }

    /** Runs the real pgbench against this node (connection in the environment, database {@code postgres}). */
    public ProcessResult pgbench(String... args) {
        return pgbench(Duration.ofSeconds(180), args);
    }

    public ProcessResult pgbench(Duration timeout, String... args) {
        List<String> argv = new ArrayList<>(List.of(cluster.binaries().tool("pgbench")));
        argv.addAll(List.of(args));
        return clientCommand(argv).timeout(timeout).run();
    }

    /** The whole server log. */
    public String log() {
        return Processes.readQuietly(logFile);
    }

    /** Discards this node's data and makes it a streaming standby of {@code primary} via a fresh pg_basebackup. */
    public void rebuildAsStandbyOf(PgNode primary) {
        if (primary == this) {
            throw failure("rebuildAsStandbyOf: a node cannot follow itself");
        }
        stop(StopMode.IMMEDIATE);
        CleanupRegistry.deleteTree(dataDir);
        baseBackupFrom(primary);
        start();
        awaitStreaming(primary);
    }

    @Override
    public String toString() {
        return "node" + id + "(" + HOST + ":" + port + ")";
    }

    // ---- used by PgCluster ----

    void baseBackupFrom(PgNode primary) {
        PgOsUser os = cluster.osUser();
        ProcessResult result = Processes.command(os.wrap(List.of(cluster.binaries().tool("pg_basebackup"),
                        "-h", HOST, "-p", String.valueOf(primary.port()), "-U", os.name(),
                        "-D", dataDir.toString(), "-R", "-X", "stream", "-c", "fast", "--no-sync")))
                .dir(cluster.dir()).timeout(Duration.ofSeconds(120)).run();
        if (!result.ok()) {
            throw failure("pg_basebackup from " + primary + " failed: " + result.output()
                    + "\n--- primary log ---\n" + primary.logTail());
        }
        writeNodeConf(null);
        appendFile(dataDir.resolve("postgresql.auto.conf"), "primary_conninfo = 'host=" + HOST + " port="
                + primary.port() + " user=" + os.name() + " application_name=" + applicationName() + "'\n");
    }

    /** Writes the settings that differ per node; {@code syncNames} non-null only on a synchronous primary. */
    void writeNodeConf(String syncNames) {
        StringBuilder conf = new StringBuilder()
                .append("port = ").append(port).append('\n')
                .append("unix_socket_directories = '").append(cluster.dir()).append("'\n")
                .append("cluster_name = '").append(applicationName()).append("'\n");
        if (syncNames != null) {
            conf.append("synchronous_standby_names = '").append(syncNames).append("'\n");
        }
        Path file = dataDir.resolve(PgCluster.NODE_CONF);
        try {
            Files.writeString(file, conf.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw failure("cannot write " + file + ": " + e.getMessage());
        }
        cluster.osUser().own(file);
    }

    void reload() {
        ProcessResult result = pgCtl(WAIT_TIMEOUT, "reload");
        if (!result.ok()) {
            throw failure("pg_ctl reload failed: " + result.output());
        }
    }

    /** Waits until {@code primary} lists this node as a streaming WAL receiver. */
    void awaitStreaming(PgNode primary) {
        Waits.until(WAIT_TIMEOUT, this + " streams from " + primary,
                () -> "streaming".equals(primary.queryValue("SELECT state FROM pg_stat_replication WHERE application_name = '"
                        + applicationName() + "'")),
                () -> logTail() + "\n--- primary " + primary + " ---\n" + primary.logTail());
    }

    /**
     * Starts a node that has never run, moving it to another free port when the probed one was
     * taken by another process between probe and bind (other test JVMs run in parallel).
     */
    void firstStart(String syncNames) {
        for (int attempt = 1; ; attempt++) {
            try {
                start();
                return;
            } catch (PgFixtureException e) {
                String log = log();
                if (attempt == 3 || !(log.contains("could not bind") || log.contains("could not create any TCP/IP"))) {
                    throw e;
                }
                port = FreePorts.find();
                writeNodeConf(syncNames);
            }
        }
    }

    /** Runs SQL through psql on the unix socket as the OS superuser (trust), before any TCP role exists. */
    void runAsSuperuser(String sql) {
        PgOsUser os = cluster.osUser();
        ProcessResult result = Processes.command(os.wrap(List.of(cluster.binaries().tool("psql"), "-X", "-q",
                        "-v", "ON_ERROR_STOP=1", "-h", cluster.dir().toString(), "-p", String.valueOf(port),
                        "-U", os.name(), "-d", "postgres", "-f", "-")))
                .stdin(sql).dir(cluster.dir()).timeout(WAIT_TIMEOUT).run();
        if (!result.ok()) {
            throw failure("superuser SQL failed: " + result.output());
        }
    }

    String logTail() {
        return "--- " + logFile + " (tail) ---\n" + Processes.tail(log());
    }

    PgFixtureException failure(String message) {
        return new PgFixtureException(this + ": " + message + "\n" + logTail());
    }

    static void appendFile(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new PgFixtureException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    private Processes.Command clientCommand(List<String> argv) {
        return Processes.command(argv)
                .env("PGHOST", HOST)
                .env("PGPORT", String.valueOf(port))
                .env("PGUSER", cluster.user())
                .env("PGPASSWORD", cluster.password())
                .env("PGDATABASE", "postgres")
                .env("PGCONNECT_TIMEOUT", "10");
    }

    private ProcessResult pgCtl(Duration timeout, String action, String... args) {
        List<String> argv = new ArrayList<>(List.of(cluster.binaries().tool("pg_ctl"), action, "-D", dataDir.toString()));
        argv.addAll(List.of(args));
        return Processes.command(cluster.osUser().wrap(argv)).dir(cluster.dir()).timeout(timeout).run();
    }

    private static List<Long> processTree(long pid) {
        List<Long> tree = new ArrayList<>();
        tree.add(pid);
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> tree.add(d.pid())));
        return tree;
    }

    private void awaitTreeGone(List<Long> tree) {
        if (Processes.awaitGone(tree, WAIT_TIMEOUT)) {
            return;
        }
        // a backend stuck in a syscall may miss the postmaster's death; never leave it behind
        tree.forEach(Processes::killTree);
        if (!Processes.awaitGone(tree, Duration.ofSeconds(10))) {
            throw failure("processes still alive after SIGKILL: " + tree.stream().filter(Processes::isAlive).toList());
        }
    }
}
