package org.vxpool.common.config;

import java.util.ArrayList;
import java.util.List;

/** Collects errors and warnings while a configuration is built. */
final class Problems {

    private final String file;
    private final List<ConfigProblem> errors = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void error(ConfigProblem p) {
        errors.add(p);
    }

    void error(ConfigEntry at, String message) {
        errors.add(new ConfigProblem(at.file(), at.line(), at.key(), message));
    }

    /** An error about a key that has no line: missing, or implied by other keys. */
    void error(String key, String message) {
        errors.add(new ConfigProblem(file, 0, key, message));
    }

    void warning(ConfigEntry at, String message) {
        warnings.add(new ConfigProblem(at.file(), at.line(), at.key(), message));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    List<ConfigProblem> errors() {
        return List.copyOf(errors);
    }

    List<ConfigProblem> warnings() {
        return List.copyOf(warnings);
    }
}
