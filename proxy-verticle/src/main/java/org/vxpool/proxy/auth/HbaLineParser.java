package org.vxpool.proxy.auth;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.vxpool.proxy.auth.HbaRule.HbaConnectionType;

/** Turns one pool_hba.conf line into an {@link HbaRule}, with PostgreSQL's error wording. */
final class HbaLineParser {
    private final Supplier<List<PoolHba.InterfaceNetwork>> localNetworks;
    private List<PoolHba.InterfaceNetwork> networks;

    HbaLineParser(Supplier<List<PoolHba.InterfaceNetwork>> localNetworks) {
        this.localNetworks = localNetworks;
    }

    /** Empty for a blank or comment line; IllegalArgumentException with the problem otherwise. */
    Optional<HbaRule> parse(int lineNumber, String line) {
        List<List<HbaToken>> fields = HbaTokenizer.fields(line);
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        Iterator<List<HbaToken>> it = fields.iterator();
        HbaConnectionType type = connectionType(single(it.next(), "connection type"));
        List<HbaToken> databases = checkDatabases(next(it, "database specification"));
        List<HbaToken> users = checkUsers(next(it, "role specification"));
        HbaAddress address = type == HbaConnectionType.LOCAL ? null : address(it);
        String methodName = single(next(it, "authentication method"), "authentication method").text();
        AuthMethod method = AuthMethod.fromKeyword(methodName).orElseThrow(() ->
                new IllegalArgumentException("authentication method \"" + methodName
                        + "\" is not supported by vxpool (use trust, reject, password, md5 or scram-sha-256)"));
        if (it.hasNext()) {
            throw new IllegalArgumentException("authentication option \"" + it.next().get(0).text()
                    + "\" is not supported by vxpool");
        }
        return Optional.of(new HbaRule(lineNumber, line.strip(), type, databases, users, address, method));
    }

    private static List<HbaToken> next(Iterator<List<HbaToken>> it, String what) {
        if (!it.hasNext()) {
            throw new IllegalArgumentException("end-of-line before " + what);
        }
        return it.next();
    }

    private static HbaToken single(List<HbaToken> field, String what) {
        if (field.size() != 1) {
            throw new IllegalArgumentException("multiple values specified for " + what);
        }
        return field.get(0);
    }

    private static HbaConnectionType connectionType(HbaToken token) {
        for (HbaConnectionType t : HbaConnectionType.values()) {
            if (t.keyword.equals(token.text())) {
                return t;
            }
        }
        throw new IllegalArgumentException("invalid connection type \"" + token.text() + "\"");
    }

    private static List<HbaToken> checkDatabases(List<HbaToken> databases) {
        for (HbaToken t : databases) {
            if (t.isKeyword("samerole") || t.isKeyword("samegroup")) {
                throw new IllegalArgumentException("database keyword \"" + t.text()
                        + "\" is not supported by vxpool (it needs role membership from the backend)");
            }
            rejectInclusion(t);
        }
        return databases;
    }

    private static List<HbaToken> checkUsers(List<HbaToken> users) {
        for (HbaToken t : users) {
            if (!t.quoted() && t.text().startsWith("+")) {
                throw new IllegalArgumentException("group membership \"" + t.text()
                        + "\" is not supported by vxpool; list the users instead");
            }
            rejectInclusion(t);
        }
        return users;
    }

    private static void rejectInclusion(HbaToken t) {
        if (!t.quoted() && t.text().startsWith("@")) {
            throw new IllegalArgumentException("file inclusion \"" + t.text()
                    + "\" is not supported by vxpool; list the names instead");
        }
    }

    private HbaAddress address(Iterator<List<HbaToken>> it) {
        HbaToken token = single(next(it, "IP address"), "IP address");
        if (token.isKeyword("all")) {
            return new HbaAddress.Any();
        }
        if (token.isKeyword("samehost") || token.isKeyword("samenet")) {
            return local(token.text().equals("samenet"));
        }
        String text = token.text();
        if (text.contains("/")) {
            return HbaAddress.cidr(text);
        }
        HbaAddress.parseLiteral(text);
        String mask = single(next(it, "IP mask"), "IP mask").text();
        return HbaAddress.withMask(text, mask);
    }

    private HbaAddress local(boolean wholeNetwork) {
        if (networks == null) {
            networks = localNetworks.get();
        }
        List<HbaAddress.Network> result = new ArrayList<>();
        for (PoolHba.InterfaceNetwork n : networks) {
            byte[] addr = n.address().getAddress();
            int prefix = wholeNetwork ? n.prefixLength() : addr.length * 8;
            result.add(new HbaAddress.Network(addr, HbaAddress.prefixMask(addr.length, prefix)));
        }
        return new HbaAddress.Local(List.copyOf(result));
    }
}
