package org.vxpool.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Locates the PostgreSQL server binaries: {@code pg_config --bindir} when it holds
 * {@code initdb} (a source build), else Debian's {@code /usr/lib/postgresql/<highest>/bin}
 * (Debian's {@code pg_config} may come from libpq-dev and point at {@code /usr/bin}).
 */
public final class PgBinaries {

    private static PgBinaries instance;

    private final Path bindir;

    private PgBinaries(Path bindir) {
        this.bindir = bindir;
    }

    public static synchronized PgBinaries get() {
        if (instance == null) {
            instance = new PgBinaries(locate());
        }
        return instance;
    }

    public Path bindir() {
        return bindir;
    }

    /** Absolute path of a tool in the bin directory, e.g. {@code tool("psql")}. */
    public String tool(String name) {
        Path path = bindir.resolve(name);
        if (!Files.isExecutable(path)) {
            throw new PgFixtureException(name + " not found in " + bindir + " (run bin/install-deps)");
        }
        return path.toString();
    }

    private static Path locate() {
        Optional<Path> fromPgConfig = fromPgConfig();
        if (fromPgConfig.isPresent()) {
            return fromPgConfig.get();
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                Optional<Path> best = versions
                        .filter(p -> p.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                        .filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
                        .max(Comparator.comparingDouble(p -> Double.parseDouble(p.getFileName().toString())));
                if (best.isPresent()) {
                    return best.get().resolve("bin");
                }
            } catch (IOException e) {
                throw new PgFixtureException("cannot list " + root + ": " + e.getMessage(), e);
            }
        }
        throw new PgFixtureException("PostgreSQL server binaries not found (no initdb via pg_config --bindir or in "
                + root + "/<version>/bin); run bin/install-deps");
    }

    private static Optional<Path> fromPgConfig() {
        try {
            ProcessResult result = Processes.command("pg_config", "--bindir").timeout(Duration.ofSeconds(10)).run();
            if (result.ok()) {
                Path dir = Path.of(result.stdout().trim());
                if (Files.isExecutable(dir.resolve("initdb"))) {
                    return Optional.of(dir);
                }
            }
        } catch (PgFixtureException e) {
            // no pg_config on PATH: fall back to the Debian layout
        }
        return Optional.empty();
    }
}
