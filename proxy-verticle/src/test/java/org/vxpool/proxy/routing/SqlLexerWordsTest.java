package org.vxpool.proxy.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Keywords come from a constant table; every word must still read exactly as toLowerCase makes it. */
class SqlLexerWordsTest {

    @Test
    void wordsAreLowerCasedAsToLowerCaseRootWouldDoIt() {
        // look-alikes: long s (uppercases to S), dotted capital I (lowercases to two chars), Kelvin sign
        for (String w : List.of("SELECT", "SeLeCt", "select", "\u017Felect", "SELECTS", "SELEC", "\u0130N", "IN",
                "Where", "wHERE_x", "current_TIMESTAMP", "\u212Aount", "COUNT", "ROLLBACK", "rollback1")) {
            List<LexedStatement> lexed = SqlLexer.lex(w + " (1);", true);
            List<Token> tokens = lexed.get(0).tokens();
            assertThat(tokens.get(0).text()).as(w).isEqualTo(w.toLowerCase(Locale.ROOT));
            assertThat(tokens.get(1).isPunct("(")).as(w).isTrue();
            assertThat(tokens.get(3).isPunct(")")).as(w).isTrue();
        }
    }

    @Test
    void lookAlikesOfReadKeywordsDoNotClassifyAsThem() {
        SqlClassifier c = SqlClassifier.defaults();
        assertThat(c.classify("SeLeCt 1").single().kind()).isEqualTo(StatementKind.READ);
        assertThat(c.classify("\u017Felect 1").single().kind()).isNotEqualTo(StatementKind.READ);
    }
}
