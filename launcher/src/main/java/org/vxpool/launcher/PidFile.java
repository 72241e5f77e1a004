package org.vxpool.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

/** pgpool's pid file: the decimal pid of the running node on the first line. */
public final class PidFile {

    private final Path path;

    public PidFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /**
     * Writes this process's pid.
     *
     * @throws LaunchException when the file names a process that is still alive
     */
    public void claim() throws LaunchException {
        OptionalLong existing = read();
        if (existing.isPresent() && isAlive(existing.getAsLong())) {
            throw new LaunchException("pid file " + path + " names process " + existing.getAsLong()
                    + ", which is still running; is another vxpool using this configuration?");
        }
        try {
            Path parent = path.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(path, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new LaunchException("could not write pid file " + path + ": " + Failures.ioReason(e));
        }
    }

    /** Removes the file if it still names this process, so a successor's file is never deleted. */
    public void release() {
        try {
            OptionalLong pid = read();
            if (pid.isPresent() && pid.getAsLong() == ProcessHandle.current().pid()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | LaunchException e) {
            // At exit there is nobody left to tell but stderr.
            System.err.println("vxpool: could not remove pid file " + path + ": " + e.getMessage());
        }
    }

    /** The pid the file names, or empty when there is no file. */
    public OptionalLong read() throws LaunchException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new LaunchException("could not read pid file " + path + ": " + Failures.ioReason(e));
        }
        String firstLine = text.lines().findFirst().orElse("");
        try {
            return OptionalLong.of(Long.parseLong(firstLine.strip()));
        } catch (NumberFormatException e) {
            throw new LaunchException("pid file " + path + " does not hold a pid: \"" + firstLine + "\"");
        }
    }

    static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
