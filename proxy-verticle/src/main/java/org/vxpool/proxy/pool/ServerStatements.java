package org.vxpool.proxy.pool;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Transaction pooling: the statements vxpool has prepared on one backend connection under its
 * internal names ({@code vx_<hash>}), least recently used first. Bounded: adding beyond the
 * capacity names the statements to close on the backend. Confined to the connection's event loop.
 */
public final class ServerStatements {
    /** Statements kept prepared per backend connection in transaction mode. */
    public static final int DEFAULT_CAPACITY = 256;

    private final int capacity;
    private final LinkedHashMap<String, Boolean> names = new LinkedHashMap<>(16, 0.75f, true);

    public ServerStatements(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Whether {@code name} is prepared here; a hit counts as a use. */
    public boolean contains(String name) {
        return names.get(name) != null;
    }

    /**
     * Records that {@code name} is (being) prepared here.
     *
     * @return the least recently used names to Close on the backend to stay within the capacity;
     *     never {@code name} itself
     */
    public List<String> add(String name) {
        names.put(name, Boolean.TRUE);
        List<String> evicted = new ArrayList<>(1);
        Iterator<String> it = names.keySet().iterator();
        while (names.size() - evicted.size() > capacity && it.hasNext()) {
            String eldest = it.next();
            if (!eldest.equals(name)) {
                evicted.add(eldest);
            }
        }
        evicted.forEach(names::remove);
        return evicted;
    }

    public void remove(String name) {
        names.remove(name);
    }

    public int size() {
        return names.size();
    }
}
