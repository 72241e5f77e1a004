package org.vxpool.testkit.netns;

/** A lab command failed; the message names the command and carries its output. */
public final class NetnsException extends RuntimeException {
    public NetnsException(String message) {
        super(message);
    }

    public NetnsException(String message, Throwable cause) {
        super(message, cause);
    }
}
