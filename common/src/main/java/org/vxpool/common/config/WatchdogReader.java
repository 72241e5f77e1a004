package org.vxpool.common.config;

import static org.vxpool.common.config.Params.HOSTNAME;
import static org.vxpool.common.config.Params.OTHER_PGPOOL_HOSTNAME;
import static org.vxpool.common.config.Params.OTHER_PGPOOL_PORT;
import static org.vxpool.common.config.Params.OTHER_WD_PORT;
import static org.vxpool.common.config.Params.PGPOOL_PORT;
import static org.vxpool.common.config.Params.WD_HOSTNAME;
import static org.vxpool.common.config.Params.WD_PORT;
import static org.vxpool.common.config.Params.WD_PORT_N;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Builds the watchdog member list from either style: 4.2+ {@code hostnameN/wd_portN/pgpool_portN}
 * plus {@code pgpool_node_id}, or 3.x {@code wd_hostname/wd_port} plus
 * {@code other_pgpool_hostnameN/other_pgpool_portN/other_wd_portN}. Problems are reported only
 * when {@code use_watchdog} is on: pgpool's own sample carries empty {@code hostnameN} slots.
 */
final class WatchdogReader {
    private WatchdogReader() {
    }

    static final String NODE_ID_KEY = "pgpool_node_id";

    static WatchdogConfig read(Settings s, OptionalInt nodeId, Problems problems) {
        boolean enabled = s.get(Params.USE_WATCHDOG);
        Problems report = enabled ? problems : new Problems("ignored");
        Optional<String> vip = Optional.of(s.get(Params.DELEGATE_IP).trim()).filter(v -> !v.isEmpty());
        boolean modern = !s.indices(HOSTNAME).isEmpty() && (enabled || !allBlank(s, HOSTNAME));
        boolean legacy = s.isSet(WD_HOSTNAME) || !s.indices(OTHER_PGPOOL_HOSTNAME).isEmpty();
        if (modern && legacy) {
            report.error(s.indices(HOSTNAME).values().iterator().next().entry(),
                    "4.2+ hostnameN cannot be combined with 3.x wd_hostname/other_pgpool_hostnameN; use one style");
        }
        List<WatchdogMember> members;
        WatchdogMember self;
        if (modern) {
            members = modernMembers(s, report);
            self = modernSelf(members, nodeId, enabled, report);
        } else {
            WatchdogMember unnumbered = new WatchdogMember(0, selfHost(s), s.get(WD_PORT), s.get(Params.PORT));
            members = legacyMembers(s, unnumbered, report);
            self = members.stream().filter(m -> sameAddress(m, unnumbered)).findFirst().orElseThrow();
            if (enabled && s.get(WD_HOSTNAME).isBlank()) {
                report.error(WD_HOSTNAME.name(), "use_watchdog is on but no members are configured: set "
                        + "hostname0.. (pgpool 4.2+) or wd_hostname and other_pgpool_hostname0.. (3.x)");
            }
        }
        WatchdogMember me = self;
        List<WatchdogMember> others = members.stream().filter(m -> m.id() != me.id()).toList();
        return new WatchdogConfig(enabled, self, others, vip);
    }

    private static boolean allBlank(Settings s, IndexedParam<String> p) {
        return s.indices(p).values().stream().allMatch(v -> ((String) v.value()).isBlank());
    }

    private static List<WatchdogMember> modernMembers(Settings s, Problems problems) {
        List<WatchdogMember> members = new ArrayList<>();
        for (int id : IndexedGroup.ids(s, HOSTNAME, List.of(WD_PORT_N, PGPOOL_PORT), problems)) {
            members.add(new WatchdogMember(id, s.get(HOSTNAME, id), s.get(WD_PORT_N, id), s.get(PGPOOL_PORT, id)));
        }
        return members;
    }

    private static WatchdogMember modernSelf(List<WatchdogMember> members, OptionalInt nodeId, boolean enabled,
            Problems problems) {
        if (nodeId.isEmpty()) {
            if (enabled) {
                // The launcher has no option for it (pgpool-II has none either): only the file.
                problems.error(NODE_ID_KEY, "this node's id is not known: write it (0.." + (members.size() - 1)
                        + ") to the file pgpool_node_id next to the configuration file");
            }
            return members.get(0);
        }
        int id = nodeId.getAsInt();
        Optional<WatchdogMember> self = members.stream().filter(m -> m.id() == id).findFirst();
        if (self.isEmpty()) {
            problems.error(NODE_ID_KEY, "node id " + id + " out of range 0.." + (members.size() - 1)
                    + " (hostname0..hostname" + (members.size() - 1) + " are configured)");
            return members.get(0);
        }
        return self.get();
    }

    /** 3.x members get ids by sorted address so that every node of the cluster derives the same ids. */
    private static List<WatchdogMember> legacyMembers(Settings s, WatchdogMember self, Problems problems) {
        List<WatchdogMember> unnumbered = new ArrayList<>();
        unnumbered.add(self);
        for (int i : IndexedGroup.ids(s, OTHER_PGPOOL_HOSTNAME, List.of(OTHER_PGPOOL_PORT, OTHER_WD_PORT), problems)) {
            unnumbered.add(new WatchdogMember(0, s.get(OTHER_PGPOOL_HOSTNAME, i), s.get(OTHER_WD_PORT, i),
                    s.get(OTHER_PGPOOL_PORT, i)));
        }
        unnumbered.sort(Comparator.comparing(WatchdogMember::host).thenComparingInt(WatchdogMember::wdPort)
                .thenComparingInt(WatchdogMember::pgpoolPort));
        List<WatchdogMember> members = new ArrayList<>();
        for (WatchdogMember m : unnumbered) {
            members.add(new WatchdogMember(members.size(), m.host(), m.wdPort(), m.pgpoolPort()));
        }
        return members;
    }

    private static boolean sameAddress(WatchdogMember a, WatchdogMember b) {
        return a.host().equals(b.host()) && a.wdPort() == b.wdPort() && a.pgpoolPort() == b.pgpoolPort();
    }

    private static String selfHost(Settings s) {
        String host = s.get(WD_HOSTNAME).trim();
        return host.isEmpty() ? "localhost" : host;
    }
}
