package org.vxpool.launcher;

/** A command line that cannot be obeyed; the message is printed before the usage text. */
public final class UsageException extends Exception {

    public UsageException(String message) {
        super(message);
    }
}
