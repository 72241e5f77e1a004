package org.vxpool.common.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
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
            text = decode(Files.readAllBytes(file), file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(new ConfigProblem(file.toString(), 0, "file", "not found"));
        } catch (IOException e) {
            throw new ConfigException(new ConfigProblem(file.toString(), 0, "file", "cannot read: " + e));
        }
        OptionalInt id = nodeId.isPresent() ? nodeId : readNodeIdFile(file);
        ConfigParser.Result parsed = ConfigParser.parse(text, file.toString());
        return ConfigBuilder.build(file, parsed.entries(), parsed.problems(), id);
    }

    /**
     * UTF-8, strictly: a byte that is not (say, a Latin-1 accent in a comment) is reported at its
     * line instead of as a decoder exception without one.
     */
    private static String decode(byte[] bytes, Path file) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // UTF-8 never decodes to more chars than it has bytes.
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int bad = in.position();
            int line = 1;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new ConfigException(new ConfigProblem(file.toString(), line, "file", String.format(
                    "not valid UTF-8 (byte 0x%02x); save the file as UTF-8", bytes[bad] & 0xff)));
        }
        decoder.flush(out);
        return out.flip().toString();
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
