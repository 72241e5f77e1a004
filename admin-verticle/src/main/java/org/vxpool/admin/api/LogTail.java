package org.vxpool.admin.api;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Blocking reads of the log file; callers run them on a worker thread. */
final class LogTail {
    /** Enough for any sane tail; a bigger N is clamped rather than refused. */
    static final int MAX_LINES = 10_000;
    private static final int CHUNK = 64 * 1024;

    private LogTail() {
    }

    /** The last {@code n} lines, read backwards from the end so a large log costs little. */
    static List<String> last(Path file, int n) throws IOException {
        // RandomAccessFile reports a missing file as a FileNotFoundException, which the API cannot
        // tell from a permission problem; the logs API answers 404 only for this one.
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long end = raf.length();
            long start = end;
            int newlines = 0;
            byte[] buf = new byte[CHUNK];
            while (start > 0 && newlines <= n) {
                int len = (int) Math.min(CHUNK, start);
                start -= len;
                raf.seek(start);
                raf.readFully(buf, 0, len);
                for (int i = 0; i < len; i++) {
                    if (buf[i] == '\n') {
                        newlines++;
                    }
                }
            }
            byte[] tail = new byte[(int) (end - start)];
            raf.seek(start);
            raf.readFully(tail);
            Deque<String> lines = new ArrayDeque<>();
            for (String line : new String(tail, StandardCharsets.UTF_8).split("\n")) {
                lines.addLast(line);
                if (lines.size() > n) {
                    lines.removeFirst();
                }
            }
            if (!lines.isEmpty() && lines.peekLast().isEmpty()) {
                lines.removeLast();
            }
            return new ArrayList<>(lines);
        }
    }

    /** What was appended since {@code offset}: whole lines only, and the new offset. */
    record Chunk(List<String> lines, long offset) {
    }

    /**
     * Lines after {@code offset}. A file shorter than the offset was rotated or truncated: reading
     * starts over. A missing file yields nothing.
     */
    static Chunk since(Path file, long offset) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return new Chunk(List.of(), 0);
        }
        long from = size < offset ? 0 : offset;
        if (size == from) {
            return new Chunk(List.of(), from);
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[(int) Math.min(size - from, 4L * CHUNK)];
            raf.seek(from);
            raf.readFully(bytes);
            int lastNewline = -1;
            for (int i = bytes.length - 1; i >= 0; i--) {
                if (bytes[i] == '\n') {
                    lastNewline = i;
                    break;
                }
            }
            if (lastNewline < 0) {
                return new Chunk(List.of(), from);
            }
            String text = new String(bytes, 0, lastNewline, StandardCharsets.UTF_8);
            return new Chunk(List.of(text.split("\n", -1)), from + lastNewline + 1);
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
