package org.vxpool.proxy.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers the classification of recently seen query texts, so that a client re-sending the same
 * unnamed Parse or simple query is not lexed again; and of recently seen {@link LiteralShape}s, so
 * that one re-sending a query with other numbers in it (pgbench {@code -M simple}) is not either.
 * Bounded, least-recently-used eviction. One per event loop: not thread-safe. Tied to one
 * {@link SqlClassifier}; build a new cache on reload.
 */
public final class ClassificationCache {

    private final SqlClassifier classifier;
    private final Map<String, Classification> byText;
    /** Null when primary_routing_query_pattern_list is set: its patterns may look at the numbers. */
    private final Map<String, Classification> byShape;

    public ClassificationCache(SqlClassifier classifier, int capacity) {
        this.classifier = classifier;
        this.byText = lru(capacity);
        this.byShape = classifier.literalsIrrelevant() ? lru(capacity) : null;
    }

    private static Map<String, Classification> lru(int capacity) {
        return new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Classification> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Classifies with standard_conforming_strings on, from the cache when possible. */
    public Classification classify(String sql) {
        Classification c = byText.get(sql);
        if (c != null) {
            return c;
        }
        LiteralShape.Shape shape = byShape == null ? null : LiteralShape.of(sql);
        if (shape == null) {
            c = classifier.classify(sql);
            byText.put(sql, c);
            return c;
        }
        Classification same = byShape.get(shape.key());
        if (same != null) {
            // the verdict is the shape's; the statement text is this one's, as the lexer cuts it
            c = new Classification(List.of(same.single().withText(sql.substring(0, shape.end()).strip())));
        } else {
            c = classifier.classify(sql);
            if (c.statements().size() == 1) {
                byShape.put(shape.key(), c);
            }
        }
        // a text sent again as it is (the same literals) is then a plain hit
        byText.put(sql, c);
        return c;
    }

    /** With standard_conforming_strings off, backslashes change lexing; such texts bypass the cache. */
    public Classification classify(String sql, boolean standardConformingStrings) {
        return standardConformingStrings ? classify(sql) : classifier.classify(sql, false);
    }

    /** Texts remembered. */
    public int size() {
        return byText.size();
    }

    /** Shapes remembered. */
    int shapes() {
        return byShape == null ? 0 : byShape.size();
    }
}
