package org.vxpool.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClassificationCacheTest {

    @Test
    void returnsTheCachedClassificationAndEvictsTheLeastRecentlyUsed() {
        ClassificationCache cache = new ClassificationCache(SqlClassifier.defaults(), 2);
        Classification a = cache.classify("select a");
        assertThat(cache.classify("select a")).isSameAs(a);
        cache.classify("select b");
        cache.classify("select a");
        cache.classify("select c");
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.classify("select a")).isSameAs(a);
        assertThat(cache.classify("insert into t values (1)").single().kind()).isEqualTo(StatementKind.WRITE);
    }

    @Test
    void nonStandardStringsBypassTheCache() {
        ClassificationCache cache = new ClassificationCache(SqlClassifier.defaults(), 10);
        String sql = "select 'a\\'; delete from t; select 1'";
        assertThat(cache.classify(sql, false).statements()).hasSize(1);
        assertThat(cache.classify(sql, true).statements()).hasSize(3);
        assertThat(cache.size()).isEqualTo(1);
    }
}
