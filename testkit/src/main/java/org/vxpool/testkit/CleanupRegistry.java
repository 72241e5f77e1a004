package org.vxpool.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** One JVM shutdown hook that closes clusters a test forgot and deletes fixture directories. */
final class CleanupRegistry {

    private static final Set<AutoCloseable> OPEN = new LinkedHashSet<>();
    private static final Set<Path> DIRECTORIES = new LinkedHashSet<>();
    private static boolean hookInstalled;

    private CleanupRegistry() {
    }

    static synchronized void register(AutoCloseable resource) {
        installHook();
        OPEN.add(resource);
    }

    static synchronized void unregister(AutoCloseable resource) {
        OPEN.remove(resource);
    }

    static synchronized void deleteOnExit(Path directory) {
        installHook();
        DIRECTORIES.add(directory);
    }

    /** Deletes a directory tree; a path that does not exist is fine. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new PgFixtureException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }

    private static void installHook() {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(CleanupRegistry::runAll, "vxpool-testkit-cleanup"));
            hookInstalled = true;
        }
    }

    private static void runAll() {
        List<AutoCloseable> resources;
        List<Path> directories;
        synchronized (CleanupRegistry.class) {
            resources = new ArrayList<>(OPEN);
            directories = new ArrayList<>(DIRECTORIES);
        }
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("vxpool-testkit: cleanup of " + resource + " failed: " + e.getMessage());
            }
        }
        for (Path directory : directories) {
            try {
                deleteTree(directory);
            } catch (RuntimeException e) {
                System.err.println("vxpool-testkit: " + e.getMessage());
            }
        }
    }
}
