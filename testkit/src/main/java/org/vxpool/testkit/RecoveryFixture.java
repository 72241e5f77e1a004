package org.vxpool.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A primary and one standby with the pgpool_recovery extension and the shipped recovery scripts
 * from {@code conf/} in every data directory, set up for this machine by a {@code recovery.env}:
 * what online recovery tests (docs/RECOVERY.md) of any module start from.
 */
public final class RecoveryFixture {
    public static final List<String> SCRIPTS = List.of("recovery_1st_stage", "pgpool_remote_start", "recovery_local");

    private RecoveryFixture() {
    }

    public static PgCluster start(Path work) throws IOException {
        return start(work, PgCluster.builder());
    }

    public static PgCluster start(Path work, PgCluster.Builder builder) throws IOException {
        Path conf = confDir();
        Path env = Files.createDirectories(work).resolve("recovery.env");
        PgOsUser os = PgOsUser.get();
        // The bootstrap superuser replicates (the fixture trusts replication from 127.0.0.1); the
        // standby reports the name backend_application_nameN expects; the restarted server logs
        // next to the fixture's logs.
        Files.writeString(env, String.join("\n",
                "REPLUSER=" + os.name(),
                "PGUSER_OS=" + os.name(),
                "PGBIN=" + PgBinaries.get().bindir(),
                "REPL_SLOT=yes",
                // Sourced by every script, and not every script has every argument.
                "APP_NAME=\"node${DEST_NODE_ID:-}\"",
                "STARTUP_LOG=\"${DEST_NODE_PGDATA:-/tmp/x}-recovered.log\"",
                ""), StandardCharsets.UTF_8);
        List<Path> files = new java.util.ArrayList<>(SCRIPTS.stream().map(conf::resolve).toList());
        files.add(env);
        return builder.standbys(1).pgpoolRecovery(files).start();
    }

    /** Surefire runs in the module's directory; the samples are beside it. */
    public static Path confDir() {
        Path conf = Path.of("").toAbsolutePath().resolveSibling("conf");
        if (!Files.isDirectory(conf)) {
            throw new IllegalStateException("no " + conf + ": run the tests from the module directory (mvn -pl)");
        }
        return conf;
    }
}
