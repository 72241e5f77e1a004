package org.vxpool.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Whatever a client sends, classification finishes and routes somewhere. */
class SqlClassifierRobustnessTest {

    private static final String[] FRAGMENTS = {
        "select", "insert", "into", "from", "t", "(", ")", "[", "]", ";", "'", "''", "\"", "$$", "$a$", "$1", "E'",
        "\\", "--", "/*", "*/", "\n", " ", ",", ".", "::", "for", "update", "with", "as", "begin", "atomic", "end",
        "case", "explain", "analyze", "prepare", "execute", "set", "local", "transaction", "read", "only", "show",
        "pool_nodes", "copy", "to", "nextval", "U&'", "x'", "1e", "-", "+", "é", "\u0000", "commit", "and", "chain",
        "deallocate", "all", "create", "function", "declare", "values", "table", "on", "off"};

    @Test
    void randomTokenSoupNeverThrows() {
        SqlClassifier c = new SqlClassifier(RoutingSettings.patterns("w", List.of("f.*")), List.of(),
                RoutingSettings.patterns("p", List.of(".*secret.*")));
        Router router = new Router(RoutingSettings.defaults());
        SplittableRandom rng = new SplittableRandom(Long.getLong("fuzz.seed", 42));
        for (int i = 0; i < Integer.getInteger("fuzz.n", 20_000); i++) {
            StringBuilder sql = new StringBuilder();
            int n = rng.nextInt(1, 25);
            for (int k = 0; k < n; k++) {
                sql.append(FRAGMENTS[rng.nextInt(FRAGMENTS.length)]);
                if (rng.nextBoolean()) {
                    sql.append(' ');
                }
            }
            String text = sql.toString();
            Classification cl = c.classify(text, rng.nextBoolean());
            RouteDecision d = router.route(RouterTableTest.newSession(), cl, Clusters.threeNodes(), LagSnapshot.NONE,
                    rng);
            assertThat(d.target()).as(text).isNotNull();
            assertThat(d.context()).as(text).isNotNull();
        }
    }

    @Test
    void randomCharactersNeverThrow() {
        SqlClassifier c = SqlClassifier.defaults();
        SplittableRandom rng = new SplittableRandom(7);
        String alphabet = "sSeElL '\"$;()[]-/*\\\nE&U01:.,";
        for (int i = 0; i < 20_000; i++) {
            char[] chars = new char[rng.nextInt(0, 40)];
            for (int k = 0; k < chars.length; k++) {
                chars[k] = alphabet.charAt(rng.nextInt(alphabet.length()));
            }
            assertThat(c.classify(new String(chars)).statements()).isNotNull();
        }
    }
}
