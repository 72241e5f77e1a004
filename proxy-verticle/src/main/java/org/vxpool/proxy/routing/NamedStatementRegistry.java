package org.vxpool.proxy.routing;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The extended-protocol statements of one session: for each name, the text and parameter types
 * the client sent in Parse, how it was classified, and the backends where it is prepared. The
 * session uses it to prepare a statement on another backend before a Bind or Describe needs it
 * there, and to send Close to every backend that has it.
 *
 * <p>Confined to the session's event loop; not thread-safe. The unnamed statement ({@code ""})
 * is an entry like any other: each Parse of it replaces it, and on every backend it must be
 * prepared again.
 */
public final class NamedStatementRegistry {

    /**
     * One statement.
     *
     * @param parameterTypes the OIDs from Parse (0 = let the server infer)
     */
    public record Entry(String name, String text, List<Integer> parameterTypes, ClassifiedStatement classification) {

        public Entry {
            parameterTypes = List.copyOf(parameterTypes);
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, Set<Integer>> preparedOn = new HashMap<>();

    /**
     * Records a Parse. The unnamed statement is replaced, and its new version is prepared nowhere
     * yet. A named statement that already exists is left as it is: PostgreSQL refuses to redefine
     * it ("prepared statement already exists"), and the session should let a backend say so.
     *
     * @return the existing entry when a named statement was not replaced, else empty
     */
    public Optional<Entry> register(String name, String text, List<Integer> parameterTypes,
            ClassifiedStatement classification) {
        Entry existing = entries.get(name);
        if (existing != null && !name.isEmpty()) {
            return Optional.of(existing);
        }
        entries.put(name, new Entry(name, text, parameterTypes, classification));
        Set<Integer> nodes = preparedOn.get(name);
        if (nodes == null) {
            preparedOn.put(name, new HashSet<>(4));
        } else {
            // the unnamed statement, parsed again with every query by most drivers: its set is reused
            nodes.clear();
        }
        return Optional.empty();
    }

    public Optional<Entry> get(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** Whether {@code name} is known but not yet prepared on {@code node}. */
    public boolean needsPrepareOn(String name, int node) {
        Set<Integer> nodes = preparedOn.get(name);
        return nodes != null && !nodes.contains(node);
    }

    /** The backend accepted (or was sent) the Parse for the current version of {@code name}. */
    public void markPrepared(String name, int node) {
        Set<Integer> nodes = preparedOn.get(name);
        // unknown: a DEALLOCATE ALL of the same batch forgot it before the batch was sent
        if (nodes != null) {
            nodes.add(node);
        }
    }

    /** The nodes where {@code name} is prepared. */
    public Set<Integer> nodesOf(String name) {
        Set<Integer> nodes = preparedOn.get(name);
        return nodes == null ? Set.of() : Set.copyOf(nodes);
    }

    /** Forgets {@code name}; returns the nodes that need a Close for it. */
    public Set<Integer> closeEverywhere(String name) {
        entries.remove(name);
        Set<Integer> nodes = preparedOn.remove(name);
        return nodes == null ? Set.of() : Set.copyOf(nodes);
    }

    /**
     * Forgets every named statement (DEALLOCATE ALL, DISCARD ALL); returns the nodes that had any.
     * The unnamed statement stays, as in PostgreSQL: it is not a prepared statement of the
     * session's table, and it may be the very statement running the DEALLOCATE ALL.
     */
    public Set<Integer> deallocateAll() {
        Set<Integer> nodes = new HashSet<>();
        preparedOn.forEach((name, on) -> {
            if (!name.isEmpty()) {
                nodes.addAll(on);
            }
        });
        entries.keySet().removeIf(name -> !name.isEmpty());
        preparedOn.keySet().removeIf(name -> !name.isEmpty());
        return Set.copyOf(nodes);
    }

    /** A backend connection was lost or replaced: nothing is prepared there any more. */
    public void forgetNode(int node) {
        preparedOn.values().forEach(nodes -> nodes.remove(node));
    }

    public int size() {
        return entries.size();
    }
}
