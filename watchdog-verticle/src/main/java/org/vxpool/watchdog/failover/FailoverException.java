package org.vxpool.watchdog.failover;

/** A failover, attach, detach or promote request was refused or failed; the message is the reason. */
public final class FailoverException extends RuntimeException {
    public FailoverException(String reason) {
        super(reason);
    }
}
