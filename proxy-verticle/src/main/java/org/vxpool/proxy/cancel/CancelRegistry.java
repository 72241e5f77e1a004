package org.vxpool.proxy.cancel;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.vxpool.proxy.protocol.BackendKeyData;

/**
 * vxpool's own BackendKeyData, one per client session, shared by every proxy instance of the JVM
 * so a CancelRequest arriving on any event loop finds its session.
 *
 * <p>In a cluster the top {@value #TAG_BITS} bits of every issued process id are this node's tag
 * ({@link #tagOf(String)} of its cluster node id), so another vxpool node that receives the
 * CancelRequest knows where to forward it without any shared map: nothing clustered is written per
 * session. The secret stays 32 random bits; only the owner checks it.
 */
public final class CancelRegistry {
    static final int TAG_BITS = 10;
    private static final int SERIAL_BITS = 31 - TAG_BITS;
    private static final int SERIAL_MASK = (1 << SERIAL_BITS) - 1;

    private final SecureRandom random = new SecureRandom();
    private final Map<Integer, Entry> sessions = new ConcurrentHashMap<>();
    /** This node's tag, or -1 when not clustered (process ids are then 31 random bits). */
    private final int tag;

    private record Entry(int secret, CancelTarget target) {
    }

    /** A registry for a node outside any cluster. */
    public CancelRegistry() {
        this(-1);
    }

    /** @param tag this node's {@link #tagOf(String)}, or -1 outside a cluster */
    public CancelRegistry(int tag) {
        this.tag = tag;
    }

    /** The tag a node with cluster node id {@code nodeId} puts into its process ids. */
    public static int tagOf(String nodeId) {
        // a multiplicative mix so that similar ids (UUIDs differ in few characters) spread out
        return (nodeId.hashCode() * 0x9E3779B1) >>> (32 - TAG_BITS);
    }

    /** The tag of the node that issued {@code pid} (meaningful only for clustered nodes). */
    public static int tagOfPid(int pid) {
        return (pid >>> SERIAL_BITS) & ((1 << TAG_BITS) - 1);
    }

    /** Issues a key unique among live sessions and remembers {@code target} under it. */
    public BackendKeyData register(CancelTarget target) {
        while (true) {
            int pid = nextPid();
            int secret = random.nextInt();
            if (sessions.putIfAbsent(pid, new Entry(secret, target)) == null) {
                return new BackendKeyData(pid, secret);
            }
        }
    }

    private int nextPid() {
        if (tag < 0) {
            return random.nextInt(Integer.MAX_VALUE - 1) + 1;
        }
        // serial 0 is skipped so that tag 0 never issues pid 0
        return (tag << SERIAL_BITS) | (random.nextInt(SERIAL_MASK) + 1);
    }

    public void unregister(BackendKeyData key) {
        if (key != null) {
            sessions.remove(key.processId());
        }
    }

    /** The session owning {@code (pid, secret)}; empty for unknown keys or a wrong secret. */
    public Optional<CancelTarget> lookup(int pid, int secret) {
        Entry e = sessions.get(pid);
        return e != null && e.secret() == secret ? Optional.of(e.target()) : Optional.empty();
    }

    public int size() {
        return sessions.size();
    }
}
