package org.vxpool.proxy.routing;

/** The access mode a transaction statement asks for. */
public enum TxAccess {
    UNSPECIFIED,
    READ_ONLY,
    READ_WRITE
}
