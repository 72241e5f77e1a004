package org.vxpool.common.config;

import java.util.List;
import java.util.function.Function;

/**
 * A global (not indexed) parameter. Declared once as a constant in {@link Params}; read with
 * {@link PoolConfig#get(Param)}.
 */
public final class Param<T> extends ParamBase<T> {

    Param(String name, List<String> aliases, ValueType<T> type, T defaultValue,
            boolean restartRequired, Function<T, String> validator) {
        super(name, aliases, type, defaultValue, restartRequired, validator);
    }
}
