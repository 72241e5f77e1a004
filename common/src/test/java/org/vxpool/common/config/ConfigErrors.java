package org.vxpool.common.config;

import java.util.List;

/** Test helper: the problems a text produces, as {@code FILE:LINE: KEY: message} strings. */
final class ConfigErrors {
    private ConfigErrors() {
    }

    static List<String> of(String text, String fileName) {
        try {
            PoolConfig.parse(text, fileName);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected a ConfigException for:\n" + text);
    }
}
