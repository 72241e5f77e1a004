package org.vxpool.testkit;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The OS user that PostgreSQL processes run as. PostgreSQL refuses to run as root, so when the
 * JVM is root (as in CI) every server command is wrapped in {@code setpriv}, using
 * {@code postgres} if it exists, else a system user {@code vxpool-test} created on first use.
 */
public final class PgOsUser {

    static final String FALLBACK_USER = "vxpool-test";
    private static PgOsUser instance;

    private final String name;
    private final String group;
    private final boolean switchUser;

    private PgOsUser(String name, String group, boolean switchUser) {
        this.name = name;
        this.group = group;
        this.switchUser = switchUser;
    }

    public static synchronized PgOsUser get() {
        if (instance == null) {
            instance = resolve();
        }
        return instance;
    }

    /** Login name, which initdb also makes the bootstrap superuser's role name. */
    public String name() {
        return name;
    }

    /** True when commands are wrapped to drop root. */
    public boolean switchesUser() {
        return switchUser;
    }

    /**
     * The command line that runs {@code argv} as this user. {@code setpriv} execs in place, so
     * the started process is our direct child: the JVM reaps it when it dies. Where init does
     * not reap orphans (as in this CI's VM), a killed orphaned postmaster would stay a zombie
     * and its lock files would block the next start.
     */
    public List<String> wrap(List<String> argv) {
        if (!switchUser) {
            return argv;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + name, "--regid=" + group,
                "--init-groups", "--"));
        wrapped.addAll(argv);
        return wrapped;
    }

    /** Makes {@code path} (not recursively) owned by this user when we run as root. */
    public void own(Path path) {
        if (!switchUser) {
            return;
        }
        try {
            Files.setOwner(path, FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(name));
        } catch (IOException e) {
            throw new PgFixtureException("cannot chown " + path + " to " + name + ": " + e.getMessage(), e);
        }
    }

    private static PgOsUser resolve() {
        String uid = Processes.command("id", "-u").timeout(Duration.ofSeconds(10)).run().requireOk().stdout().trim();
        if (!uid.equals("0")) {
            return new PgOsUser(System.getProperty("user.name"), null, false);
        }
        if (exists("postgres")) {
            return new PgOsUser("postgres", primaryGroup("postgres"), true);
        }
        if (!exists(FALLBACK_USER)) {
            ProcessResult created = Processes.command("useradd", "-r", "-M", "-s", "/usr/sbin/nologin", FALLBACK_USER)
                    .timeout(Duration.ofSeconds(30)).run();
            // exit 9: another JVM created it between our check and useradd
            if (!created.ok() && created.exitCode() != 9) {
                created.requireOk();
            }
        }
        return new PgOsUser(FALLBACK_USER, primaryGroup(FALLBACK_USER), true);
    }

    private static String primaryGroup(String user) {
        return Processes.command("id", "-gn", user).timeout(Duration.ofSeconds(10)).run().requireOk().stdout().trim();
    }

    private static boolean exists(String user) {
        return Processes.command("getent", "passwd", user).timeout(Duration.ofSeconds(10)).run().ok();
    }
}
