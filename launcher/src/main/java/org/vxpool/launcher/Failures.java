package org.vxpool.launcher;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/** Turns an exception chain into the one line an operator should read. */
final class Failures {

    private Failures() {
    }

    /**
     * The message of the outermost exception that has one; verticles already wrap low-level
     * errors into sentences like "could not listen on 127.0.0.1:9999: address already in use".
     */
    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return failure.getClass().getSimpleName();
    }

    /**
     * NIO puts only the path in the message of {@link NoSuchFileException},
     * {@link AccessDeniedException} and {@link FileAlreadyExistsException}: the reason is the
     * class, which an operator never sees.
     */
    static String ioReason(IOException e) {
        if (e instanceof NoSuchFileException f) {
            return f.getFile() + ": no such file or directory";
        }
        if (e instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (e instanceof FileAlreadyExistsException f) {
            // Only createDirectories meets it here: a plain file where a directory must be.
            return f.getFile() + ": exists and is not a directory";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
