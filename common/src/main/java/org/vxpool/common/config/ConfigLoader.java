package org.vxpool.common.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * Reads a pgpool.conf-compatible file. Blocking file I/O: call it at startup or from a worker,
 * never on an event loop.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /** The file pgpool-II 4.2+ reads this node's watchdog id from, next to pgpool.conf. */
    public static final String NODE_ID_FILE = "pgpool_node_id";

    /** Loads {@code file}, taking the node id from {@code pgpool_node_id} next to it if present. */
    public static PoolConfig load(Path file) {
        return load(file, OptionalInt.empty());
    }

    /**
     * Loads {@code file}. A given {@code nodeId} (command-line override) wins over the
     * {@code pgpool_node_id} file.
     *
     * @throws ConfigException with every problem found, including an unreadable file
     */
    public static PoolConfig load(Path file, OptionalInt nodeId) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(new ConfigProblem(file.toString(), 0, "file", "not found"));
        } catch (IOException e) {
            throw new ConfigException(new ConfigProblem(file.toString(), 0, "file", "cannot read: " + e));
        }
        OptionalInt id = nodeId.isPresent() ? nodeId : readNodeIdFile(file);
        ConfigParser.Result parsed = ConfigParser.parse(text, file.toString());
        return ConfigBuilder.build(file, parsed.entries(), parsed.problems(), id);
    }

    /** Reads {@code pgpool_node_id} next to {@code configFile}; empty if there is none. */
    public static OptionalInt readNodeIdFile(Path configFile) {
        Path idFile = configFile.toAbsolutePath().resolveSibling(NODE_ID_FILE);
        if (!Files.isRegularFile(idFile)) {
            return OptionalInt.empty();
        }
        try {
            List<String> lines = Files.readAllLines(idFile, StandardCharsets.UTF_8);
            String first = lines.stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .findFirst().orElse("");
            return OptionalInt.of(Integer.parseInt(first));
        } catch (IOException e) {
            throw new ConfigException(new ConfigProblem(idFile.toString(), 0, NODE_ID_FILE, "cannot read: " + e));
        } catch (NumberFormatException e) {
            throw new ConfigException(new ConfigProblem(idFile.toString(), 1, NODE_ID_FILE,
                    "not a node id (a non-negative integer expected)"));
        }
    }
}
