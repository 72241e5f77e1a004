package org.vxpool.proxy.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/** The address column of a host line: a network, {@code all}, {@code samehost} or {@code samenet}. */
public sealed interface HbaAddress {

    boolean matches(InetAddress client);

    /** {@code all}: any client address. */
    record Any() implements HbaAddress {
        @Override
        public boolean matches(InetAddress client) {
            return true;
        }
    }

    /** A network: address and mask of the same family. */
    record Network(byte[] address, byte[] mask) implements HbaAddress {
        @Override
        public boolean matches(InetAddress client) {
            byte[] c = client.getAddress();
            if (c.length != address.length) {
                return false;
            }
            for (int i = 0; i < c.length; i++) {
                if ((c[i] & mask[i]) != (address[i] & mask[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    /** {@code samehost} / {@code samenet}: this machine's own addresses or networks, read at load. */
    record Local(List<Network> networks) implements HbaAddress {
        @Override
        public boolean matches(InetAddress client) {
            return networks.stream().anyMatch(n -> n.matches(client));
        }
    }

    Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /**
     * Parses an IP literal without ever asking DNS; throws IllegalArgumentException for a host
     * name or a malformed address.
     */
    static InetAddress parseLiteral(String text) {
        boolean v4 = IPV4.matcher(text).matches();
        if (!v4 && (!text.contains(":") || text.contains("%"))) {
            throw new IllegalArgumentException("invalid IP address \"" + text + "\" (host names are "
                    + "not supported in pool_hba.conf; use an IP address or CIDR)");
        }
        if (v4) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("invalid IP address \"" + text + "\"");
                }
            }
        }
        try {
            // A literal (dotted quad, or containing ':') never triggers a lookup.
            return InetAddress.getByName(v4 ? text : "[" + text + "]");
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("invalid IP address \"" + text + "\"");
        }
    }

    static byte[] prefixMask(int bytes, int prefixLength) {
        byte[] mask = new byte[bytes];
        for (int i = 0; i < prefixLength; i++) {
            mask[i / 8] |= (byte) (0x80 >>> (i % 8));
        }
        return mask;
    }

    static Network cidr(String text) {
        int slash = text.indexOf('/');
        InetAddress addr = parseLiteral(text.substring(0, slash));
        int bits = addr.getAddress().length * 8;
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("invalid CIDR mask in address \"" + text + "\"");
        }
        return new Network(addr.getAddress(), prefixMask(addr.getAddress().length, prefix));
    }

    static Network withMask(String address, String mask) {
        InetAddress a = parseLiteral(address);
        InetAddress m;
        try {
            m = parseLiteral(mask);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid IP mask \"" + mask + "\"");
        }
        if (a.getAddress().length != m.getAddress().length) {
            throw new IllegalArgumentException("IP address and mask do not match: \"" + address
                    + "\" \"" + mask + "\"");
        }
        return new Network(a.getAddress(), m.getAddress());
    }
}
