package org.vxpool.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real PostgreSQL primary with 0..n streaming standbys on free 127.0.0.1 ports, in one temp
 * directory, run as an unprivileged OS user. Closing it stops every server and deletes the
 * directory; a JVM shutdown hook does the same for clusters nobody closed.
 *
 * <pre>{@code
 * try (PgCluster pg = PgCluster.builder().standbys(1).start()) {
 *     pg.primary().execute("CREATE TABLE t(x int); INSERT INTO t VALUES (1)");
 *     pg.node(1).waitForReplay();
 *     pg.node(1).queryValue("SELECT count(*) FROM t"); // "1"
 * }
 * }</pre>
 */
public final class PgCluster implements AutoCloseable {

    public static final String DEFAULT_USER = "vxtest";
    public static final String DEFAULT_PASSWORD = "vxtest-pw";
    static final String NODE_CONF = "vxnode.conf";

    private final Builder config;
    private final Path dir;
    private final PgBinaries binaries;
    private final PgOsUser osUser;
    private final List<PgNode> nodes = new ArrayList<>();
    private Duration setupTime = Duration.ZERO;
    private boolean closed;

    private PgCluster(Builder config, Path dir, PgBinaries binaries, PgOsUser osUser) {
        this.config = config;
        this.dir = dir;
        this.binaries = binaries;
        this.osUser = osUser;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All nodes by id; node 0 was the initial primary. */
    public List<PgNode> nodes() {
        return List.copyOf(nodes);
    }

    public PgNode node(int id) {
        return nodes.get(id);
    }

    /**
     * The current primary: the running node not in recovery (after a promote that may not be
     * node 0). Fails when none or several qualify.
     */
    public PgNode primary() {
        List<PgNode> primaries = nodes.stream().filter(PgNode::isRunning)
                .filter(n -> {
                    try {
                        return !n.isInRecovery();
                    } catch (PgFixtureException e) {
                        return false;
                    }
                }).toList();
        if (primaries.size() != 1) {
            throw new PgFixtureException("expected exactly one running primary, found " + primaries);
        }
        return primaries.get(0);
    }

    /** Running nodes that are in recovery. */
    public List<PgNode> standbys() {
        return nodes.stream().filter(PgNode::isRunning).filter(PgNode::isInRecovery).toList();
    }

    public Path dir() {
        return dir;
    }

    /** The default test user (superuser, SCRAM over TCP). */
    public String user() {
        return DEFAULT_USER;
    }

    public String password() {
        return DEFAULT_PASSWORD;
    }

    /** Every role the builder asked for, the default test user first. */
    public List<DbUser> users() {
        return List.copyOf(config.users);
    }

    public PgBinaries binaries() {
        return binaries;
    }

    public PgOsUser osUser() {
        return osUser;
    }

    /** Wall-clock time {@link Builder#start()} took. */
    public Duration setupTime() {
        return setupTime;
    }

    /** Stops every server with {@code immediate} and deletes the directory. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> problems = new ArrayList<>();
        for (PgNode node : nodes) {
            try {
                node.stop(StopMode.IMMEDIATE);
            } catch (RuntimeException e) {
                problems.add(e.getMessage());
            }
        }
        try {
            CleanupRegistry.deleteTree(dir);
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
        CleanupRegistry.unregister(this);
        if (!problems.isEmpty()) {
            throw new PgFixtureException("cleanup of " + dir + " incomplete:\n" + String.join("\n", problems));
        }
    }

    @Override
    public String toString() {
        return "PgCluster" + nodes + " in " + dir;
    }

    private void setUp() {
        long started = System.nanoTime();
        PgNode primary = createPrimary();
        createRoles(primary);
        if (config.pgpoolRecoveryFiles != null) {
            installPgpoolRecovery(primary);
        }
        for (int i = 1; i <= config.standbys; i++) {
            PgNode standby = new PgNode(this, i, FreePorts.find());
            nodes.add(standby);
            standby.baseBackupFrom(primary);
            standby.firstStart(null);
        }
        for (PgNode standby : nodes.subList(1, nodes.size())) {
            standby.awaitStreaming(primary);
        }
        if (config.synchronous && config.standbys > 0) {
            // set only now: with sync names and no standby yet, creating the roles would block
            primary.writeNodeConf(synchronousNames());
            primary.reload();
            Waits.until(PgNode.WAIT_TIMEOUT, primary + " reports a synchronous standby",
                    () -> "sync".equals(primary.queryValue(
                            "SELECT sync_state FROM pg_stat_replication WHERE sync_state = 'sync' LIMIT 1")),
                    primary::logTail);
        }
        setupTime = Duration.ofNanos(System.nanoTime() - started);
    }

    private String synchronousNames() {
        if (config.synchronousStandbyNames != null) {
            return config.synchronousStandbyNames;
        }
        return "FIRST 1 (" + nodes.subList(1, nodes.size()).stream().map(PgNode::applicationName)
                .collect(Collectors.joining(", ")) + ")";
    }

    private PgNode createPrimary() {
        PgNode primary = new PgNode(this, 0, FreePorts.find());
        nodes.add(primary);
        PgTemplate.copyTo(primary.dataDir(), binaries, osUser);
        writeConfig(primary.dataDir());
        primary.writeNodeConf(null);
        primary.firstStart(null);
        return primary;
    }

    private void writeConfig(Path dataDir) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("listen_addresses", "'" + PgNode.HOST + "'");
        settings.put("fsync", config.fsync ? "on" : "off");
        settings.put("synchronous_commit", "on");
        settings.put("wal_level", "replica");
        settings.put("max_wal_senders", String.valueOf(10 + config.standbys));
        settings.put("max_replication_slots", String.valueOf(10 + config.standbys));
        settings.put("wal_keep_size", "'256MB'");
        settings.put("hot_standby", "on");
        settings.put("wal_log_hints", "on");
        settings.put("max_connections", "200");
        settings.put("shared_buffers", "'32MB'");
        settings.put("password_encryption", "'scram-sha-256'");
        settings.put("logging_collector", "off");
        settings.put("log_line_prefix", "'%m [%p] %q%u@%d '");
        settings.putAll(config.settings);
        StringBuilder conf = new StringBuilder("\n# vxpool testkit\n");
        settings.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
        // per-node values (port, socket dir, sync names) last, so they win
        conf.append("include_if_exists = '").append(NODE_CONF).append("'\n");
        PgNode.appendFile(dataDir.resolve("postgresql.conf"), conf.toString());
        writeHba(dataDir.resolve("pg_hba.conf"));
    }

    private void writeHba(Path file) {
        StringBuilder hba = new StringBuilder("# vxpool testkit: extra lines first\n");
        config.hbaLines.forEach(line -> hba.append(line).append('\n'));
        hba.append("local all all trust\n");
        hba.append("local replication all trust\n");
        hba.append("host replication all 127.0.0.1/32 trust\n");
        for (DbUser user : config.users) {
            if (user.encryption() != PasswordEncryption.SCRAM_SHA_256) {
                hba.append("host all \"").append(user.name()).append("\" 127.0.0.1/32 ")
                        .append(user.encryption().hbaMethod()).append('\n');
            }
        }
        hba.append("host all all 127.0.0.1/32 scram-sha-256\n");
        try {
            Files.writeString(file, hba.toString(), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new PgFixtureException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void createRoles(PgNode primary) {
        StringBuilder sql = new StringBuilder();
        for (DbUser user : config.users) {
            if (user.encryption() != PasswordEncryption.NONE) {
                sql.append("SET password_encryption = '").append(user.encryption().setting()).append("';\n");
            }
            sql.append("CREATE ROLE \"").append(user.name()).append("\" LOGIN")
                    .append(user.superuser() ? " SUPERUSER" : "");
            if (user.encryption() != PasswordEncryption.NONE) {
                sql.append(" PASSWORD '").append(user.password().replace("'", "''")).append("'");
            }
            sql.append(";\n");
        }
        primary.runAsSuperuser(sql.toString());
    }

    /**
     * Before any standby exists, so that base backups carry both to every node: the files go into
     * the primary's data directory (executable, owned by the server's OS user) and the extension
     * into template1 (where pgpool-II's recovery connects) and postgres.
     */
    private void installPgpoolRecovery(PgNode primary) {
        for (Path file : config.pgpoolRecoveryFiles) {
            Path target = primary.dataDir().resolve(file.getFileName());
            try {
                Files.copy(file, target);
                Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (IOException e) {
                throw new PgFixtureException("cannot copy " + file + " into " + primary.dataDir() + ": " + e.getMessage(), e);
            }
            osUser.own(target);
        }
        primary.runAsSuperuser("CREATE EXTENSION pgpool_recovery;\n\\connect template1\nCREATE EXTENSION pgpool_recovery;\n");
    }

    /** Configures and starts a {@link PgCluster}. */
    public static final class Builder {
        private int standbys;
        private boolean synchronous;
        private String synchronousStandbyNames;
        private boolean fsync;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final List<String> hbaLines = new ArrayList<>();
        private List<Path> pgpoolRecoveryFiles;
        private final List<DbUser> users = new ArrayList<>(
                List.of(new DbUser(DEFAULT_USER, DEFAULT_PASSWORD, PasswordEncryption.SCRAM_SHA_256, true)));

        private Builder() {
        }

        /** Number of streaming standbys (default 0). */
        public Builder standbys(int count) {
            if (count < 0) {
                throw new PgFixtureException("standbys must be >= 0, got " + count);
            }
            this.standbys = count;
            return this;
        }

        /**
         * Synchronous replication: {@code synchronous_standby_names = 'FIRST 1 (node1, node2, ...)'}
         * with {@code synchronous_commit = on}.
         */
        public Builder synchronous(boolean on) {
            this.synchronous = on;
            return this;
        }

        /** Synchronous replication with an explicit {@code synchronous_standby_names} value. */
        public Builder synchronousStandbyNames(String value) {
            this.synchronous = true;
            this.synchronousStandbyNames = value;
            return this;
        }

        /** Real fsync (off by default: process kills keep the OS page cache). */
        public Builder fsync(boolean on) {
            this.fsync = on;
            return this;
        }

        /** An extra postgresql.conf line {@code name = value}; quote string values yourself ({@code "'x'"}). */
        public Builder setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        /**
         * pgpool-II online recovery on the primary: {@code CREATE EXTENSION pgpool_recovery} in
         * template1 and postgres (Debian package {@code postgresql-15-pgpool2}), and {@code files}
         * (the recovery scripts) copied into its data directory, hence into every standby's too.
         */
        public Builder pgpoolRecovery(List<Path> files) {
            this.pgpoolRecoveryFiles = List.copyOf(files);
            return this;
        }

        /** A pg_hba.conf line placed before the fixture's own lines. */
        public Builder hbaLine(String line) {
            hbaLines.add(line);
            return this;
        }

        public Builder user(String name, String password, PasswordEncryption encryption, boolean superuser) {
            return user(new DbUser(name, password, encryption, superuser));
        }

        public Builder user(DbUser user) {
            users.add(user);
            return this;
        }

        /** Creates and starts the cluster; on failure everything already started is cleaned up. */
        public PgCluster start() {
            PgBinaries binaries = PgBinaries.get();
            PgOsUser osUser = PgOsUser.get();
            Path dir;
            try {
                dir = Files.createTempDirectory("vxpg-");
            } catch (IOException e) {
                throw new PgFixtureException("cannot create a temp dir: " + e.getMessage(), e);
            }
            osUser.own(dir);
            PgCluster cluster = new PgCluster(this, dir, binaries, osUser);
            CleanupRegistry.register(cluster);
            try {
                cluster.setUp();
                return cluster;
            } catch (RuntimeException e) {
                try {
                    cluster.close();
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
    }
}
