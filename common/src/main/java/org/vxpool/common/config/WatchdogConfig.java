package org.vxpool.common.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The watchdog cluster as configured.
 *
 * <p>4.2+ files number the members ({@code hostnameN}) and name this node with
 * {@code pgpool_node_id}. 3.x files list only the <em>other</em> members relative to this node, so
 * vxpool numbers the members itself: all members (this one included) sorted by host, then
 * watchdog port, then pgpool port. Every node of a 3.x cluster thus derives the same ids, and a
 * 4.x file whose {@code hostnameN} are in that order yields an equal member list.
 *
 * @param enabled {@code use_watchdog}
 * @param self this node
 * @param others every other member, ordered by id
 * @param delegateIp the virtual IP, empty when none is configured
 */
public record WatchdogConfig(
        boolean enabled,
        WatchdogMember self,
        List<WatchdogMember> others,
        Optional<String> delegateIp) {

    public WatchdogConfig {
        others = others.stream().sorted(Comparator.comparingInt(WatchdogMember::id)).toList();
    }

    /** Every member, this node included, ordered by id. */
    public List<WatchdogMember> members() {
        List<WatchdogMember> all = new ArrayList<>(others);
        all.add(self);
        all.sort(Comparator.comparingInt(WatchdogMember::id));
        return List.copyOf(all);
    }

    /** Number of configured members (this node included); quorum is computed over it. */
    public int size() {
        return others.size() + 1;
    }

    public Optional<WatchdogMember> member(int id) {
        return members().stream().filter(m -> m.id() == id).findFirst();
    }

    public boolean hasDelegateIp() {
        return delegateIp.isPresent();
    }
}
