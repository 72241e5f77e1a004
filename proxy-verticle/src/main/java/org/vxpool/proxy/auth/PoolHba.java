package org.vxpool.proxy.auth;

import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * pool_hba.conf in pg_hba.conf syntax, matched first-line-wins like PostgreSQL. Everything vxpool
 * does not implement is refused at load time with an error naming it, rather than silently
 * matching differently from what the operator wrote.
 */
public final class PoolHba {
    private final List<HbaRule> rules;

    private PoolHba(List<HbaRule> rules) {
        this.rules = Collections.unmodifiableList(rules);
    }

    /** Reads the file. Blocking (file and interface reads): call it off the event loop. */
    public static PoolHba load(Path file) throws AuthFileException {
        return parse(file.toString(), AuthFileException.readLines(file, "pool_hba.conf"), PoolHba::localNetworks);
    }

    /**
     * Parses the lines; {@code localNetworks} (this host's addresses with their prefix lengths)
     * is asked only when a line says {@code samehost} or {@code samenet}.
     */
    public static PoolHba parse(String fileName, List<String> lines,
            Supplier<List<InterfaceNetwork>> localNetworks) throws AuthFileException {
        HbaLineParser parser = new HbaLineParser(localNetworks);
        List<HbaRule> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        StringBuilder joined = new StringBuilder();
        int firstLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            if (raw.endsWith("\r")) {
                raw = raw.substring(0, raw.length() - 1);
            }
            if (joined.length() == 0) {
                firstLine = i + 1;
            }
            // pg_hba (PostgreSQL 16) joins a line ending in a backslash with the next one.
            if (raw.endsWith("\\") && !isComment(joined, raw)) {
                joined.append(raw, 0, raw.length() - 1);
                continue;
            }
            joined.append(raw);
            String line = joined.toString();
            joined.setLength(0);
            try {
                parser.parse(firstLine, line).ifPresent(rules::add);
            } catch (IllegalArgumentException e) {
                problems.add(fileName + ":" + firstLine + ": " + e.getMessage());
            }
        }
        if (joined.length() > 0) {
            problems.add(fileName + ":" + firstLine + ": line continuation at end of file");
        }
        if (!problems.isEmpty()) {
            throw new AuthFileException(problems);
        }
        return new PoolHba(rules);
    }

    private static boolean isComment(StringBuilder joined, String raw) {
        return joined.length() == 0 && raw.stripLeading().startsWith("#");
    }

    /**
     * The first rule that applies to this connection, or empty: no entry, which PostgreSQL
     * answers with 28000 "no pg_hba.conf entry for host ...".
     *
     * @param client the client's address; ignored for {@link ConnectionType#LOCAL}
     */
    public Optional<HbaRule> match(ConnectionType connection, boolean ssl, String database, String user,
            InetAddress client) {
        for (HbaRule rule : rules) {
            if (rule.matches(connection, ssl, database, user, client)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    public List<HbaRule> rules() {
        return rules;
    }

    /** One address of this host and the prefix length of its network. */
    public record InterfaceNetwork(InetAddress address, int prefixLength) {
    }

    /** This host's addresses, as {@code samehost}/{@code samenet} see them. */
    public static List<InterfaceNetwork> localNetworks() {
        List<InterfaceNetwork> result = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
                    result.add(new InterfaceNetwork(ia.getAddress(), ia.getNetworkPrefixLength()));
                }
            }
        } catch (SocketException e) {
            throw new IllegalArgumentException("cannot list network interfaces for samehost/samenet: "
                    + e.getMessage(), e);
        }
        return result;
    }
}
