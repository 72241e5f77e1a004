package org.vxpool.proxy.pool;

import io.vertx.core.net.SocketAddress;

/**
 * Where a backend listens. As in libpq and pgpool-II, a {@code backend_hostname} that starts with
 * {@code /} is the directory of PostgreSQL's Unix-domain socket ({@code .s.PGSQL.<port>} in it),
 * which spares a proxy on the database host the TCP stack on that hop.
 */
public final class BackendAddress {
    private BackendAddress() {
    }

    public static SocketAddress of(String host, int port) {
        return host.startsWith("/")
                ? SocketAddress.domainSocketAddress(host + "/.s.PGSQL." + port)
                : SocketAddress.inetSocketAddress(port, host);
    }
}
