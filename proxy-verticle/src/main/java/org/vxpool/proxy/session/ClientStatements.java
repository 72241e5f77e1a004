package org.vxpool.proxy.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.vxpool.proxy.protocol.Parse;
import org.vxpool.proxy.routing.ClassifiedStatement;

/**
 * Transaction pooling: the named statements one client prepared (protocol-level Parse), each
 * with the internal name it has on backend connections: {@code vx_} and a hash of its text and
 * parameter types, so clients that prepare the same statement share it on a connection.
 */
final class ClientStatements {
    /**
     * One statement.
     *
     * @param internal the name it has on backends
     */
    record Entry(String name, String internal, String text, List<Integer> parameterTypes, ClassifiedStatement classification) {
        Parse parse() {
            return new Parse(internal, text, parameterTypes);
        }
    }

    /** How every internal name begins. */
    static final String PREFIX = "vx_";

    private final Map<String, Entry> entries = new HashMap<>();

    /** Records a Parse of a named statement whose name is not in use (a redefinition fails, as in PostgreSQL). */
    Entry register(Parse p, ClassifiedStatement classification) {
        Entry e = new Entry(p.name(), internalName(p.query(), p.parameterTypes()), p.query(), p.parameterTypes(), classification);
        entries.put(p.name(), e);
        return e;
    }

    Entry get(String name) {
        return entries.get(name);
    }

    boolean remove(String name) {
        return entries.remove(name) != null;
    }

    /** A failed Parse leaves nothing behind, unless the name was re-parsed since. */
    void failed(String name, String internal) {
        Entry e = entries.get(name);
        if (e != null && e.internal().equals(internal)) {
            entries.remove(name);
        }
    }

    /** {@code text} with each quoted internal name of this client's statements replaced by the client's name. */
    String withClientNames(String text) {
        String out = text;
        for (Entry e : entries.values()) {
            out = out.replace("\"" + e.internal() + "\"", "\"" + e.name() + "\"");
        }
        return out;
    }

    void clear() {
        entries.clear();
    }

    int size() {
        return entries.size();
    }

    static String internalName(String text, List<Integer> types) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(text.getBytes(StandardCharsets.UTF_8));
            for (int t : types) {
                md.update((byte) 0);
                md.update(Integer.toString(t).getBytes(StandardCharsets.US_ASCII));
            }
            return PREFIX + HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
