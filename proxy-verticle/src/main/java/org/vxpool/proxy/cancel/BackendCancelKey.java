package org.vxpool.proxy.cancel;

/** Where to send a real CancelRequest: a backend's address and its BackendKeyData. */
public record BackendCancelKey(String host, int port, int processId, int secretKey) {
}
