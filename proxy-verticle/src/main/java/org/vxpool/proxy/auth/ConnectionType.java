package org.vxpool.proxy.auth;

/** How a client reached vxpool, as pool_hba.conf distinguishes it. */
public enum ConnectionType {
    /** Unix-domain socket. */
    LOCAL,
    /** TCP/IP, with or without SSL. */
    HOST
}
