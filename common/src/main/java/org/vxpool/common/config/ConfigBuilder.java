package org.vxpool.common.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns parsed entries into a {@link PoolConfig}: resolves names against {@link Params}, type-checks
 * values, then derives backends, clustering mode and watchdog members. Every problem is collected;
 * the build fails once, at the end, with all of them.
 */
final class ConfigBuilder {

    private static final Pattern INDEXED_KEY = Pattern.compile("(.*?)(\\d+)");

    private final Settings settings = new Settings();
    private final Problems problems;

    private ConfigBuilder(String fileName) {
        this.problems = new Problems(fileName);
    }

    static PoolConfig build(Path file, List<ConfigEntry> entries, List<ConfigProblem> syntaxProblems,
            OptionalInt nodeId) {
        ConfigBuilder b = new ConfigBuilder(file.toString());
        syntaxProblems.forEach(b.problems::error);
        entries.forEach(b::apply);
        Derived derived = b.derive(nodeId);
        if (b.problems.hasErrors()) {
            List<ConfigProblem> sorted = new ArrayList<>(b.problems.errors());
            // Problems without a line (missing keys) go last, after everything the file shows.
            sorted.sort(Comparator.comparingInt(p -> p.line() == 0 ? Integer.MAX_VALUE : p.line()));
            throw new ConfigException(sorted);
        }
        return new PoolConfig(file, entries, nodeId, b.settings, derived, b.problems.warnings());
    }

    record Derived(List<BackendConfig> backends, ClusteringMode clusteringMode, WatchdogConfig watchdog) {
    }

    private Derived derive(OptionalInt nodeId) {
        List<BackendConfig> backends = BackendsReader.read(settings, problems);
        ClusteringMode mode = ClusteringReader.read(settings, problems);
        WatchdogConfig watchdog = WatchdogReader.read(settings, nodeId, problems);
        CrossChecks.check(settings, backends, problems);
        return new Derived(backends, mode, watchdog);
    }

    private void apply(ConfigEntry e) {
        String key = e.key().toLowerCase(Locale.ROOT);
        Optional<Param<?>> global = Params.byName(key);
        if (global.isPresent()) {
            applyGlobal(global.get(), e);
            return;
        }
        Matcher m = INDEXED_KEY.matcher(key);
        if (m.matches()) {
            Optional<IndexedParam<?>> indexed = Params.indexedByName(m.group(1));
            if (indexed.isPresent()) {
                applyIndexed(indexed.get(), m.group(2), e);
                return;
            }
        }
        if (Params.isUnsupported(key) || m.matches() && Params.isUnsupported(m.group(1))) {
            problems.warning(e, "not supported by vxpool; ignored");
            return;
        }
        problems.error(e, "unknown parameter");
    }

    private void applyGlobal(Param<?> p, ConfigEntry e) {
        Object value = parse(p, e);
        if (value != null) {
            settings.put(p, value, e).ifPresent(previous -> warnDuplicate(previous, e));
            if (Params.notApplied(p, value)) {
                problems.warning(e, "accepted but not applied by vxpool (logging is logback's, see docs/CONFIG.md)");
            }
        }
    }

    private void applyIndexed(IndexedParam<?> p, String digits, ConfigEntry e) {
        int index;
        try {
            index = Integer.parseInt(digits);
        } catch (NumberFormatException ex) {
            index = Integer.MAX_VALUE;
        }
        if (index > IndexedParam.MAX_INDEX) {
            problems.error(e, "index " + digits + " out of range 0.." + IndexedParam.MAX_INDEX);
            return;
        }
        Object value = parse(p, e);
        if (value != null) {
            settings.put(p, index, value, e).ifPresent(previous -> warnDuplicate(previous, e));
        }
    }

    private Object parse(ParamBase<?> p, ConfigEntry e) {
        try {
            return p.parseAndValidate(e.value());
        } catch (InvalidValueException ex) {
            problems.error(e, ex.getMessage());
            return null;
        }
    }

    private void warnDuplicate(Settings.Setting previous, ConfigEntry e) {
        // Overrides given through the API replace file values on purpose.
        if (e.line() > 0 && previous.entry().file().equals(e.file())) {
            problems.warning(e, "set again (first set at line " + previous.entry().line()
                    + "); the last value wins");
        }
    }
}
