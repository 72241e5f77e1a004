package org.vxpool.launcher;

/** The node cannot start or be stopped; the message is the one line the operator sees. */
public final class LaunchException extends Exception {

    public LaunchException(String message) {
        super(message);
    }

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
