package org.vxpool.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * One file with a bad value for every registered parameter (global and per-node, of every value
 * type): each line is reported as {@code file:line: key: problem}, none is lost behind an earlier
 * one. Values are picked per parameter from a list of wrong candidates by asking the parameter's
 * own type, so a parameter added later is covered without touching this test; parameters that
 * accept any text (strings, lists) get an unterminated quote, a syntax error.
 */
class EveryParameterBadValueTest {
    private static final List<String> CANDIDATES = List.of("maybe", "-1", "99999999999", "5 lightyears", "1.5.5");

    @Test
    void everyParameterWithABadValueIsListedWithItsLine() {
        List<String> lines = new ArrayList<>(List.of("backend_hostname0 = 'db0'"));
        Map<Integer, String> expectedKeyByLine = new TreeMap<>();
        for (Param<?> p : Params.all()) {
            lines.add(p.name() + " = " + badValue(p));
            expectedKeyByLine.put(lines.size(), p.name());
        }
        for (IndexedParam<?> p : Params.allIndexed()) {
            String key = p.key(0);
            if (key.equals("backend_hostname0")) {
                continue;
            }
            lines.add(key + " = " + badValue(p));
            expectedKeyByLine.put(lines.size(), key);
        }
        List<String> errors = ConfigErrors.of(String.join("\n", lines) + "\n", "every.conf");

        List<String> missing = new ArrayList<>();
        expectedKeyByLine.forEach((line, key) -> {
            String prefix = "every.conf:" + line + ": " + key + ": ";
            if (errors.stream().noneMatch(e -> e.startsWith(prefix) && e.length() > prefix.length())) {
                missing.add(lines.get(line - 1));
            }
        });
        assertThat(missing).as("bad lines not reported (of %d); reported:%n%s", expectedKeyByLine.size(),
                String.join("\n", errors)).isEmpty();
        assertThat(expectedKeyByLine).hasSizeGreaterThan(150);
    }

    /** The first candidate the parameter refuses, quoted; an unterminated quote when it takes any text. */
    private static String badValue(ParamBase<?> p) {
        for (String c : CANDIDATES) {
            try {
                p.parseAndValidate(c);
            } catch (InvalidValueException refused) {
                return "'" + c + "'";
            }
        }
        return "'unterminated";
    }
}
