package org.vxpool.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One initdb'd data directory per JVM, copied for every new primary: initdb costs about a
 * second of two shared cores, a copy a tenth of that. Settings and roles are applied per
 * cluster after the copy, so the template stays the bare initdb output.
 */
final class PgTemplate {

    private static Path template;

    private PgTemplate() {
    }

    /** Copies the template to {@code target} (which must not exist), creating the template first if needed. */
    static void copyTo(Path target, PgBinaries bin, PgOsUser user) {
        Path source = get(bin, user);
        Processes.command(user.wrap(List.of("cp", "-a", source.toString(), target.toString())))
                .timeout(Duration.ofSeconds(60)).run().requireOk();
    }

    private static synchronized Path get(PgBinaries bin, PgOsUser user) {
        if (template != null && Files.isDirectory(template)) {
            return template;
        }
        try {
            Path parent = Files.createTempDirectory("vxpg-template-");
            user.own(parent);
            CleanupRegistry.deleteOnExit(parent);
            Path data = parent.resolve("data");
            ProcessResult result = initdb(bin, user, data, List.of("--locale=C.UTF-8", "-E", "UTF8"));
            if (!result.ok()) {
                // a machine without the C.UTF-8 locale still gives UTF8 databases with --no-locale
                CleanupRegistry.deleteTree(data);
                initdb(bin, user, data, List.of("--no-locale", "-E", "UTF8")).requireOk();
            }
            template = data;
            return data;
        } catch (IOException e) {
            throw new PgFixtureException("cannot create the initdb template: " + e.getMessage(), e);
        }
    }

    private static ProcessResult initdb(PgBinaries bin, PgOsUser user, Path data, List<String> localeArgs) {
        List<String> argv = new ArrayList<>(List.of(bin.tool("initdb"), "-N", "-D", data.toString(),
                "--auth-local=trust", "--auth-host=scram-sha-256", "-U", user.name()));
        argv.addAll(localeArgs);
        return Processes.command(user.wrap(argv)).dir(data.getParent()).timeout(Duration.ofSeconds(120)).run();
    }
}
