package org.vxpool.watchdog.health;

/** A health check, role query or promotion could not be done on a backend; the message says why. */
public final class ProbeException extends RuntimeException {
    public ProbeException(String message, Throwable cause) {
        super(message, cause);
    }
}
