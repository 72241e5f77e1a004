package org.vxpool.proxy.pool;

/** A backend could not be reached or dropped the connection; carries the node for reporting. */
public class BackendUnavailableException extends RuntimeException {
    private final int nodeId;

    public BackendUnavailableException(int nodeId, String message, Throwable cause) {
        super(message, cause, false, false);
        this.nodeId = nodeId;
    }

    public int nodeId() {
        return nodeId;
    }
}
