package org.vxpool.common.config;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * A family of indexed keys led by a host key ({@code backend_hostnameN}, {@code hostnameN},
 * {@code other_pgpool_hostnameN}): ids must run from 0 without gaps, and no companion key may
 * name an id whose host is not set.
 */
final class IndexedGroup {
    private IndexedGroup() {
    }

    /** The ids 0..n-1 for which the host key is set; reports gaps, empty hosts, orphan companions. */
    static List<Integer> ids(Settings s, IndexedParam<String> host, List<IndexedParam<?>> companions,
            Problems problems) {
        SortedMap<Integer, Settings.Setting> hosts = s.indices(host);
        List<Integer> ids = new ArrayList<>();
        int expected = 0;
        for (var e : hosts.entrySet()) {
            ConfigEntry entry = e.getValue().entry();
            if (e.getKey() != expected) {
                problems.error(entry, "set but " + host.key(expected)
                        + " is missing (ids must run from 0 without gaps)");
            }
            expected = e.getKey() + 1;
            if (((String) e.getValue().value()).isBlank()) {
                problems.error(entry, "empty host name");
            }
            ids.add(e.getKey());
        }
        for (IndexedParam<?> c : companions) {
            for (var e : s.indices(c).entrySet()) {
                if (!hosts.containsKey(e.getKey())) {
                    problems.error(e.getValue().entry(), "set but " + host.key(e.getKey()) + " is not");
                }
            }
        }
        return ids;
    }
}
