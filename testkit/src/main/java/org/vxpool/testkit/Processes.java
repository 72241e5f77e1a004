package org.vxpool.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs external commands with a timeout and captured output, and starts background processes
 * that are tracked and stopped by pid (never by name).
 *
 * <pre>{@code
 * ProcessResult r = Processes.command("psql", "-h", "127.0.0.1", "-p", "9999", "-c", "select 1")
 *         .env("PGPASSWORD", "secret").timeout(Duration.ofSeconds(20)).run();
 * }</pre>
 */
public final class Processes {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private Processes() {
    }

    public static Command command(String... argv) {
        return new Command(List.of(argv));
    }

    public static Command command(List<String> argv) {
        return new Command(argv);
    }

    /** Runs {@code argv} with the default timeout; non-zero exit codes are returned, not thrown. */
    public static ProcessResult run(String... argv) {
        return command(argv).run();
    }

    /** SIGKILLs {@code pid} and every descendant it has right now. Returns the pids signalled. */
    public static List<Long> killTree(long pid) {
        List<Long> killed = new ArrayList<>();
        Optional<ProcessHandle> root = ProcessHandle.of(pid);
        if (root.isEmpty()) {
            return killed;
        }
        List<ProcessHandle> all = new ArrayList<>(root.get().descendants().toList());
        all.add(0, root.get());
        for (ProcessHandle handle : all) {
            if (handle.destroyForcibly()) {
                killed.add(handle.pid());
            }
        }
        return killed;
    }

    /**
     * True when a process with this pid exists and is not a zombie. Orphaned servers are
     * re-parented to init, which may reap late; a zombie has released its port and memory.
     */
    public static boolean isAlive(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        String stat = readQuietly(Path.of("/proc/" + pid + "/stat"));
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length()) {
            return !stat.isEmpty() || Files.exists(Path.of("/proc/" + pid));
        }
        char state = stat.charAt(close + 2);
        return state != 'Z' && state != 'X';
    }

    /** Waits until none of {@code pids} is alive; false when some are still alive after {@code timeout}. */
    public static boolean awaitGone(List<Long> pids, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pids.stream().anyMatch(Processes::isAlive)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(20);
        }
        return true;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgFixtureException("interrupted", e);
        }
    }

    static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "<cannot read " + file + ": " + e.getMessage() + ">";
        }
    }

    /** A command to run, configured fluently. */
    public static final class Command {
        private final List<String> argv;
        private final Map<String, String> env = new LinkedHashMap<>();
        private Path dir;
        private Duration timeout = DEFAULT_TIMEOUT;
        private String stdin;

        private Command(List<String> argv) {
            if (argv.isEmpty()) {
                throw new PgFixtureException("empty command");
            }
            this.argv = List.copyOf(argv);
        }

        public Command env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public Command dir(Path directory) {
            this.dir = directory;
            return this;
        }

        public Command timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        /** Text written to the command's standard input (which is otherwise empty). */
        public Command stdin(String text) {
            this.stdin = text;
            return this;
        }

        public List<String> argv() {
            return argv;
        }

        /**
         * Runs to completion. A command still running after the timeout is killed with its
         * descendants and reported as a {@link PgFixtureException} with its output so far.
         */
        public ProcessResult run() {
            Path out = tempFile("out");
            Path err = tempFile("err");
            try {
                Process process = builder().redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                feedStdin(process);
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    killTree(process.pid());
                    throw new PgFixtureException("command timed out after " + timeout.toSeconds() + " s: "
                            + String.join(" ", argv) + "\n--- stdout ---\n" + readQuietly(out)
                            + "\n--- stderr ---\n" + readQuietly(err));
                }
                return new ProcessResult(argv, process.exitValue(), readQuietly(out), readQuietly(err));
            } catch (IOException e) {
                throw new PgFixtureException("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgFixtureException("interrupted while running " + String.join(" ", argv), e);
            } finally {
                deleteQuietly(out);
                deleteQuietly(err);
            }
        }

        /** Starts in the background; stdout and stderr both go to {@code outputFile}. */
        public Spawned start(Path outputFile) {
            try {
                Process process = builder().redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile())).start();
                feedStdin(process);
                return new Spawned(argv, process, outputFile);
            } catch (IOException e) {
                throw new PgFixtureException("cannot start " + String.join(" ", argv) + ": " + e.getMessage(), e);
            }
        }

        private ProcessBuilder builder() {
            ProcessBuilder pb = new ProcessBuilder(argv);
            pb.environment().putAll(env);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            if (stdin == null) {
                pb.redirectInput(new File("/dev/null"));
            }
            return pb;
        }

        private void feedStdin(Process process) throws IOException {
            if (stdin != null) {
                try (var in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    /** A background process started by {@link Command#start(Path)}; closing it kills its tree. */
    public static final class Spawned implements AutoCloseable {
        private final List<String> argv;
        private final Process process;
        private final Path outputFile;

        private Spawned(List<String> argv, Process process, Path outputFile) {
            this.argv = argv;
            this.process = process;
            this.outputFile = outputFile;
        }

        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        public Path outputFile() {
            return outputFile;
        }

        public String output() {
            return readQuietly(outputFile);
        }

        /** Waits until the output contains {@code text}; fails early if the process exits first. */
        public void awaitOutput(String text, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!output().contains(text)) {
                if (!process.isAlive() && !output().contains(text)) {
                    throw new PgFixtureException("process exited (" + process.exitValue() + ") before printing '"
                            + text + "': " + String.join(" ", argv) + "\n" + tail(output()));
                }
                if (System.nanoTime() > deadline) {
                    throw new PgFixtureException("no '" + text + "' after " + timeout.toSeconds() + " s from "
                            + String.join(" ", argv) + "\n" + tail(output()));
                }
                sleep(50);
            }
        }

        /** Waits for the exit code; empty when still running after {@code timeout}. */
        public Optional<Integer> waitFor(Duration timeout) {
            try {
                return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        ? Optional.of(process.exitValue()) : Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgFixtureException("interrupted", e);
            }
        }

        /** SIGTERM, then SIGKILL of the whole tree after {@code grace}. Returns once everything is gone. */
        public void stop(Duration grace) {
            List<Long> tree = new ArrayList<>(process.descendants().map(ProcessHandle::pid).toList());
            tree.add(process.pid());
            process.destroy();
            if (waitFor(grace).isEmpty()) {
                killTree(process.pid());
            }
            tree.forEach(Processes::killTree);
            if (!awaitGone(tree, Duration.ofSeconds(10))) {
                throw new PgFixtureException("processes still alive after SIGKILL: " + tree);
            }
        }

        @Override
        public void close() {
            stop(Duration.ofSeconds(5));
        }
    }

    static String tail(String text) {
        String[] lines = text.split("\n", -1);
        int from = Math.max(0, lines.length - 40);
        return String.join("\n", java.util.Arrays.asList(lines).subList(from, lines.length));
    }

    private static Path tempFile(String suffix) {
        try {
            return Files.createTempFile("vxproc-", "." + suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
