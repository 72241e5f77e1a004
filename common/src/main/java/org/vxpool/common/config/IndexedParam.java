package org.vxpool.common.config;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A parameter written with a numeric suffix, such as {@code backend_hostname0} or
 * {@code health_check_period1}. Per-node overrides name the global parameter they fall back to;
 * {@link PoolConfig#get(IndexedParam, int)} applies that rule.
 */
public final class IndexedParam<T> extends ParamBase<T> {

    /** pgpool-II's MAX_NUM_BACKENDS and MAX_WATCHDOG_NUM are both 128. */
    public static final int MAX_INDEX = 127;

    private final Param<T> fallback;

    IndexedParam(String name, List<String> aliases, ValueType<T> type, T defaultValue,
            boolean restartRequired, Function<T, String> validator, Param<T> fallback) {
        super(name, aliases, type, defaultValue, restartRequired, validator);
        this.fallback = fallback;
    }

    /** The global parameter used when {@code nameN} is not set. */
    public Optional<Param<T>> fallback() {
        return Optional.ofNullable(fallback);
    }

    /** The key for one index, e.g. {@code backend_hostname0}. */
    public String key(int index) {
        return name() + index;
    }

    /** The text for {@code nameN}; a per-node override without one of its own has its global parameter's. */
    @Override
    public String description() {
        String own = Descriptions.of(name() + "N");
        return own.isEmpty() && fallback != null ? fallback.description() : own;
    }

    /** Without fallback the default; with one, the default of the global parameter. */
    @Override
    public T defaultValue() {
        return fallback != null ? fallback.defaultValue() : super.defaultValue();
    }
}
