package org.vxpool.watchdog.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.model.BackendNode;
import org.vxpool.common.model.NodeStatus;

/**
 * {@code <logdir>/pgpool_status} in pgpool 4.x's text format: one line per backend, {@code up},
 * {@code down} or {@code unused}. Blocking file I/O: call it from a worker, never an event loop.
 */
public final class StatusFile {
    private static final Logger LOG = LoggerFactory.getLogger(StatusFile.class);

    private final Path path;

    public StatusFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /**
     * Reads the file. Empty when it does not exist. Like pgpool, a file that says every node is
     * down is ignored, because starting with no backend at all helps nobody.
     *
     * @return one status per line; unknown words are logged and read as "up"
     */
    public Optional<List<NodeStatus>> read() {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("cannot read status file {}: {}; ignoring it", path, e.getMessage());
            return Optional.empty();
        }
        List<NodeStatus> statuses = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String word = lines.get(i).trim();
            if (word.isEmpty()) {
                continue;
            }
            statuses.add(parse(word, i + 1));
        }
        if (!statuses.isEmpty() && statuses.stream().allMatch(s -> s == NodeStatus.DOWN)) {
            LOG.warn("status file {} says every backend is down; ignoring it", path);
            return Optional.empty();
        }
        return Optional.of(statuses);
    }

    private NodeStatus parse(String word, int line) {
        switch (word.toLowerCase()) {
            case "up":
                return NodeStatus.UP;
            case "down":
                return NodeStatus.DOWN;
            case "unused":
                return NodeStatus.UNUSED;
            default:
                LOG.warn("{}:{}: unknown backend status '{}', reading it as up", path, line, word);
                return NodeStatus.UP;
        }
    }

    /** Rewrites the file atomically (temp file, then rename) so a crash never leaves half a file. */
    public void write(List<BackendNode> nodes) {
        StringBuilder text = new StringBuilder();
        for (BackendNode node : nodes) {
            text.append(word(node.status())).append('\n');
        }
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write status file " + path, e);
        }
    }

    /** -D: forget what the previous run decided. */
    public void discard() {
        try {
            if (Files.deleteIfExists(path)) {
                LOG.info("discarding status file {} (-D)", path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete status file " + path, e);
        }
    }

    /** pgpool persists only up/down/unused; waiting and quarantine are not decisions worth keeping. */
    static String word(NodeStatus status) {
        return switch (status) {
            case DOWN -> "down";
            case UNUSED -> "unused";
            default -> "up";
        };
    }
}
