package org.vxpool.common.config;

/** A value that its parameter's type rejects; the message is the problem without file or key. */
public final class InvalidValueException extends Exception {

    public InvalidValueException(String message) {
        super(message);
    }
}
