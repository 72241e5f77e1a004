package org.vxpool.common.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * An immutable, validated configuration: one snapshot of a pgpool.conf file. A reload builds a
 * new instance and swaps it in whole.
 */
public final class PoolConfig {

    private final Path file;
    private final List<ConfigEntry> entries;
    private final OptionalInt nodeId;
    private final Settings settings;
    private final ConfigBuilder.Derived derived;
    private final List<ConfigProblem> warnings;

    PoolConfig(Path file, List<ConfigEntry> entries, OptionalInt nodeId, Settings settings,
            ConfigBuilder.Derived derived, List<ConfigProblem> warnings) {
        this.file = file;
        this.entries = List.copyOf(entries);
        this.nodeId = nodeId;
        this.settings = settings;
        this.derived = derived;
        this.warnings = List.copyOf(warnings);
    }

    /** Parses text as if read from {@code fileName}; for tests and embedded configs. */
    public static PoolConfig parse(String text, String fileName) {
        return parse(text, fileName, OptionalInt.empty());
    }

    public static PoolConfig parse(String text, String fileName, OptionalInt nodeId) {
        ConfigParser.Result parsed = ConfigParser.parse(text, fileName);
        return ConfigBuilder.build(Path.of(fileName), parsed.entries(), parsed.problems(), nodeId);
    }

    /** Every {@code key = value} as written, in file order (overrides last). */
    List<ConfigEntry> entries() {
        return entries;
    }

    /** The value set in the file, or the parameter's default. */
    public <T> T get(Param<T> param) {
        return settings.get(param);
    }

    /**
     * The value of {@code nameN}; when not set, the global parameter it overrides (per-node health
     * check settings), else the default.
     */
    public <T> T get(IndexedParam<T> param, int index) {
        return settings.get(param, index);
    }

    /** The indices the file sets for {@code param} ({@code backend_hostname0}, ...), in order. */
    public SortedSet<Integer> indices(IndexedParam<?> param) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(settings.indices(param).keySet()));
    }

    /** Whether the file sets the parameter (under any of its names). */
    public boolean isSet(Param<?> param) {
        return settings.isSet(param);
    }

    /** A time parameter as a Duration, in the parameter's unit. */
    public Duration duration(Param<Integer> param) {
        return param.type().unit().toDuration(get(param));
    }

    /** A per-node time parameter as a Duration. */
    public Duration duration(IndexedParam<Integer> param, int index) {
        return param.type().unit().toDuration(get(param, index));
    }

    /** Backends ordered by id; ids run from 0 without gaps. */
    public List<BackendConfig> backends() {
        return derived.backends();
    }

    public BackendConfig backend(int id) {
        return derived.backends().get(id);
    }

    public ClusteringMode clusteringMode() {
        return derived.clusteringMode();
    }

    public WatchdogConfig watchdog() {
        return derived.watchdog();
    }

    /** The configuration file as given to the loader. */
    public Path file() {
        return file;
    }

    /** This node's watchdog id as given ({@code pgpool_node_id} file or argument), if any. */
    public OptionalInt nodeId() {
        return nodeId;
    }

    /**
     * A path from the configuration resolved as pgpool does: absolute paths as they are, relative
     * ones against the directory of the configuration file.
     */
    public Path resolve(String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p;
        }
        Path dir = file.toAbsolutePath().getParent();
        return dir == null ? p.toAbsolutePath() : dir.resolve(p);
    }

    /** Warnings as {@code FILE:LINE: KEY: message} lines (unsupported parameters, duplicates...). */
    public List<String> warnings() {
        return warnings.stream().map(ConfigProblem::toString).toList();
    }

    public List<ConfigProblem> warningProblems() {
        return warnings;
    }

    /**
     * The values the file sets, by canonical name ({@code delegate_ip}, {@code backend_hostname0}),
     * unquoted, as written. Defaults are not included.
     */
    public Map<String, String> raw() {
        return settings.raw();
    }

    /**
     * A copy with some keys set as if appended to the file (names as in pgpool.conf, values
     * unquoted). Revalidates everything.
     *
     * @throws ConfigException when the result is invalid
     */
    public PoolConfig withOverrides(Map<String, String> overrides) {
        List<ConfigEntry> all = new ArrayList<>(entries);
        overrides.forEach((k, v) -> all.add(new ConfigEntry("<override>", 0, k, v)));
        return ConfigBuilder.build(file, all, List.of(), nodeId);
    }

    /** A copy with another node id (the {@code pgpool_node_id} of 4.2+ watchdog files). */
    public PoolConfig withNodeId(int id) {
        return ConfigBuilder.build(file, entries, List.of(), OptionalInt.of(id));
    }

    /**
     * Parameters whose value differs in {@code newer} and that a reload cannot apply. A reload
     * that finds any should keep running with the old value and log which ones.
     */
    public List<String> changesRequiringRestart(PoolConfig newer) {
        List<String> changed = new ArrayList<>();
        for (Param<?> p : Params.all()) {
            if (p.restartRequired() && !get(p).equals(newer.get(p))) {
                changed.add(p.name());
            }
        }
        for (IndexedParam<?> p : Params.allIndexed()) {
            int n = Math.max(lastIndex(p), newer.lastIndex(p));
            for (int i = 0; i <= n; i++) {
                if (p.restartRequired() && !get(p, i).equals(newer.get(p, i))) {
                    changed.add(p.key(i));
                }
            }
        }
        return changed;
    }

    private int lastIndex(IndexedParam<?> p) {
        var set = settings.indices(p);
        return set.isEmpty() ? -1 : set.lastKey();
    }

    @Override
    public String toString() {
        return "PoolConfig[" + file + "]";
    }
}
