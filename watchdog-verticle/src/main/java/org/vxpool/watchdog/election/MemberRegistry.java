package org.vxpool.watchdog.election;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryAdapter;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapEvent;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The shared watchdog member info: a Hazelcast ReplicatedMap from member UUID to {@link MemberInfo}
 * JSON, read against the Hazelcast member list.
 *
 * <p>A replicated map, because every member must keep every entry on its own side of a partition;
 * an IMap can lose entries whose owner and backup are both across the split. Entries of departed
 * members are ignored (the member list decides who is visible) and removed by the next publish.
 * Each node republishes its own entry every {@code wd_interval} and after every membership change,
 * which repairs stale values after a merge and follows the new UUID a merged member gets.
 *
 * <p>Every method may block: call them from a worker.
 */
final class MemberRegistry {
    static final String MAP_NAME = "vxpool.watchdog.members";

    private final HazelcastInstance hz;
    private volatile ReplicatedMap<String, String> map;
    private UUID membershipRegistration;
    private UUID entryRegistration;

    MemberRegistry(HazelcastInstance hz) {
        this.hz = hz;
    }

    /** The map proxy, created on first use: creating it talks to the cluster. */
    private ReplicatedMap<String, String> map() {
        ReplicatedMap<String, String> m = map;
        if (m == null) {
            m = hz.getReplicatedMap(MAP_NAME);
            map = m;
        }
        return m;
    }

    String localId() {
        return hz.getCluster().getLocalMember().getUuid().toString();
    }

    /**
     * Writes this node's entry and drops the entries of members that have left (each restart
     * brings a new UUID). A write goes through the key's partition owner, so it can block while
     * that owner is unreachable: never call it where that would delay a decision.
     */
    void publish(MemberInfo self) {
        String id = localId();
        map().put(id, self.withId(id).toJson().encode());
        Set<String> current = new HashSet<>();
        hz.getCluster().getMembers().forEach(m -> current.add(m.getUuid().toString()));
        for (String key : map().keySet()) {
            if (!current.contains(key)) {
                map().remove(key);
            }
        }
    }

    /** Every other member Hazelcast shows now, with its published info or a LOADING placeholder. */
    List<MemberInfo> others() {
        List<MemberInfo> others = new ArrayList<>();
        for (Member m : hz.getCluster().getMembers()) {
            if (m.localMember()) {
                continue;
            }
            String id = m.getUuid().toString();
            String json = map().get(id);
            others.add(json == null
                    ? MemberInfo.unknown(id, m.getAddress().getHost(), m.getAddress().getPort())
                    : MemberInfo.fromJson(new JsonObject(json)).withId(id));
        }
        return others;
    }

    /** Calls {@code onChange} (on a Hazelcast thread) whenever members or their info change. */
    void listen(Runnable onChange) {
        membershipRegistration = hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                onChange.run();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                onChange.run();
            }
        });
        entryRegistration = map().addEntryListener(new EntryAdapter<String, String>() {
            @Override
            public void onEntryEvent(EntryEvent<String, String> event) {
                onChange.run();
            }

            @Override
            public void onMapEvent(MapEvent event) {
                onChange.run();
            }
        });
    }

    void unlisten() {
        if (membershipRegistration != null) {
            hz.getCluster().removeMembershipListener(membershipRegistration);
        }
        if (entryRegistration != null) {
            map().removeEntryListener(entryRegistration);
        }
    }
}
