package org.vxpool.proxy.auth;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * What pool_hba.conf looks at: how the client connected and whom it wants to be.
 *
 * @param address the client's address; null for {@link ConnectionType#LOCAL}
 */
public record ClientConnection(ConnectionType type, boolean ssl, String database, String user,
        InetAddress address) {

    /** The host as PostgreSQL prints it in auth errors: {@code [local]} or the numeric address. */
    public String hostForMessages() {
        if (type == ConnectionType.LOCAL || address == null) {
            return "[local]";
        }
        return address instanceof Inet6Address ? compressIpv6(address.getAddress()) : address.getHostAddress();
    }

    /** RFC 5952 text (what PostgreSQL prints), not Java's uncompressed form. */
    static String compressIpv6(byte[] a) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /** PostgreSQL's trailer of hba errors. */
    String encryptionForMessages() {
        return ssl ? "SSL encryption" : "no encryption";
    }
}
