package org.vxpool.proxy.cancel;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.vxpool.proxy.protocol.BackendKeyData;

/**
 * vxpool's own BackendKeyData, one per client session, shared by every proxy instance of the JVM
 * so a CancelRequest arriving on any event loop finds its session.
 * TODO cross-node cancel: publish keys to the clustered map {@code Addresses.CANCEL_KEYS_MAP}.
 */
public final class CancelRegistry {
    private final SecureRandom random = new SecureRandom();
    private final Map<Integer, Entry> sessions = new ConcurrentHashMap<>();

    private record Entry(int secret, CancelTarget target) {
    }

    /** Issues a key unique among live sessions and remembers {@code target} under it. */
    public BackendKeyData register(CancelTarget target) {
        while (true) {
            int pid = random.nextInt(Integer.MAX_VALUE - 1) + 1;
            int secret = random.nextInt();
            if (sessions.putIfAbsent(pid, new Entry(secret, target)) == null) {
                return new BackendKeyData(pid, secret);
            }
        }
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
