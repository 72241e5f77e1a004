package org.vxpool.proxy.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.vxpool.proxy.routing.ClassifiedStatement;
import org.vxpool.proxy.routing.StatementKind;

class QueryCountersTest {

    @Test
    void countsPerNodeAndKindAndListsOnlyNodesThatSawStatements() {
        QueryCounters counters = new QueryCounters();
        counters.count(0, QueryKind.WRITE);
        counters.count(1, QueryKind.READ);
        counters.count(1, QueryKind.READ);
        counters.count(1, QueryKind.OTHER);
        counters.count(-1, QueryKind.READ);
        counters.count(QueryCounters.MAX_NODES, QueryKind.READ);

        assertThat(counters.get(1, QueryKind.READ)).isEqualTo(2);
        assertThat(counters.get(0, QueryKind.READ)).isZero();
        assertThat(counters.get(QueryCounters.MAX_NODES, QueryKind.READ)).isZero();
        assertThat(counters.toJson()).isEqualTo(new JsonObject()
                .put("0", new JsonObject().put("read", 0L).put("write", 1L).put("other", 0L))
                .put("1", new JsonObject().put("read", 2L).put("write", 0L).put("other", 1L)));
    }

    @Test
    void kindsFollowTheClassifier() {
        assertThat(QueryKind.of(ClassifiedStatement.of(StatementKind.READ, "t", "SELECT 1"))).isEqualTo(QueryKind.READ);
        assertThat(QueryKind.of(ClassifiedStatement.of(StatementKind.WRITE, "t", "INSERT"))).isEqualTo(QueryKind.WRITE);
        for (StatementKind k : new StatementKind[] {StatementKind.TX_BEGIN, StatementKind.PRIMARY_ONLY, StatementKind.UNKNOWN}) {
            assertThat(QueryKind.of(ClassifiedStatement.of(k, "t", "x"))).isEqualTo(QueryKind.OTHER);
        }
    }
}
