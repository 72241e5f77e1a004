package org.vxpool.proxy.auth;

import java.net.InetAddress;
import java.util.List;

/**
 * One line of pool_hba.conf.
 *
 * @param line  line number (the first one, for continued lines), for log messages
 * @param text  the line as written, for log messages
 */
public record HbaRule(int line, String text, HbaConnectionType type, List<HbaToken> databases,
        List<HbaToken> users, HbaAddress address, AuthMethod method) {

    /** pg_hba's connection-type keywords. */
    public enum HbaConnectionType {
        LOCAL("local"), HOST("host"), HOSTSSL("hostssl"), HOSTNOSSL("hostnossl"),
        HOSTGSSENC("hostgssenc"), HOSTNOGSSENC("hostnogssenc");

        final String keyword;

        HbaConnectionType(String keyword) {
            this.keyword = keyword;
        }

        boolean matches(ConnectionType connection, boolean ssl) {
            return switch (this) {
                case LOCAL -> connection == ConnectionType.LOCAL;
                case HOST, HOSTNOGSSENC -> connection == ConnectionType.HOST;
                case HOSTSSL -> connection == ConnectionType.HOST && ssl;
                case HOSTNOSSL -> connection == ConnectionType.HOST && !ssl;
                // vxpool answers every GSSENCRequest with N, so no connection is GSS-encrypted.
                case HOSTGSSENC -> false;
            };
        }
    }

    public HbaRule {
        databases = List.copyOf(databases);
        users = List.copyOf(users);
    }

    boolean matches(ConnectionType connection, boolean ssl, String database, String user,
            InetAddress client) {
        return type.matches(connection, ssl)
                && (address == null || connection == ConnectionType.LOCAL || address.matches(client))
                && databases.stream().anyMatch(t -> databaseMatches(t, database, user))
                && users.stream().anyMatch(t -> t.isKeyword("all") || t.text().equals(user));
    }

    private static boolean databaseMatches(HbaToken token, String database, String user) {
        if (token.isKeyword("all")) {
            return true;
        }
        if (token.isKeyword("sameuser")) {
            return database.equals(user);
        }
        // vxpool relays no replication connections, so "replication" lines never apply.
        if (token.isKeyword("replication")) {
            return false;
        }
        return token.text().equals(database);
    }
}
