package org.vxpool.proxy.routing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the classification of recently seen query texts, so that a client re-sending the same
 * unnamed Parse or simple query is not lexed again. Bounded, least-recently-used eviction. One per
 * event loop: not thread-safe. Tied to one {@link SqlClassifier}; build a new cache on reload.
 */
public final class ClassificationCache {

    private final SqlClassifier classifier;
    private final Map<String, Classification> byText;

    public ClassificationCache(SqlClassifier classifier, int capacity) {
        this.classifier = classifier;
        this.byText = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
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
        if (c == null) {
            c = classifier.classify(sql);
            byText.put(sql, c);
        }
        return c;
    }

    /** With standard_conforming_strings off, backslashes change lexing; such texts bypass the cache. */
    public Classification classify(String sql, boolean standardConformingStrings) {
        return standardConformingStrings ? classify(sql) : classifier.classify(sql, false);
    }

    public int size() {
        return byText.size();
    }
}
