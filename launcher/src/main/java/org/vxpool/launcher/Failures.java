package org.vxpool.launcher;

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
}
