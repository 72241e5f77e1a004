package org.vxpool.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.vxpool.proxy.routing.Classification;
import org.vxpool.proxy.routing.ClassificationCache;
import org.vxpool.proxy.routing.SqlClassifier;

/**
 * The SQL classifier, uncached (a text seen for the first time) and through the per-event-loop
 * {@link ClassificationCache} (pgbench and most applications repeat their texts); and through the
 * cache with a new number in every text, as pgbench {@code -M simple} sends them (the cache's
 * literal-insensitive shapes).
 */
public class ClassifierBench extends HotPathBench {

    @Param({"select", "update", "complex"})
    public String query;

    private String sql;
    private SqlClassifier classifier;
    private ClassificationCache cache;
    /** More texts than the cache holds, so an exact-text cache would miss every time. */
    private final String[] varying = new String[4096];
    private int next;

    @Setup
    public void setup() {
        sql = switch (query) {
            case "select" -> "SELECT abalance FROM pgbench_accounts WHERE aid = 4711;";
            case "update" -> "UPDATE pgbench_accounts SET abalance = abalance + -2431 WHERE aid = 4711;";
            default -> "/* report */ WITH recent AS (SELECT a.aid, a.abalance, $tag$it's -- not a comment$tag$ AS note "
                    + "FROM pgbench_accounts a JOIN \"Branch Data\" b ON b.bid = a.bid WHERE a.abalance > 0 "
                    + "ORDER BY a.aid DESC LIMIT 10) SELECT * FROM recent WHERE note <> E'x\\'y' FOR SHARE OF recent";
        };
        classifier = SqlClassifier.defaults();
        cache = new ClassificationCache(classifier, 1024);
        cache.classify(sql);
        for (int i = 0; i < varying.length; i++) {
            varying[i] = sql.replace("4711", Integer.toString(100_000 + i * 37));
        }
    }

    @Benchmark
    public Classification uncached() {
        return classifier.classify(sql);
    }

    @Benchmark
    public Classification cached() {
        return cache.classify(sql);
    }

    @Benchmark
    public Classification literalVaries() {
        next = (next + 1) & (varying.length - 1);
        return cache.classify(varying[next]);
    }
}
