package org.vxpool.common.config;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** What {@link Param} and {@link IndexedParam} share: one declaration of a parameter. */
public abstract sealed class ParamBase<T> permits Param, IndexedParam {

    private final String name;
    private final List<String> aliases;
    private final ValueType<T> type;
    private final T defaultValue;
    private final boolean restartRequired;
    private final Function<T, String> validator;

    ParamBase(String name, List<String> aliases, ValueType<T> type, T defaultValue,
            boolean restartRequired, Function<T, String> validator) {
        this.name = name;
        this.aliases = List.copyOf(aliases);
        this.type = type;
        this.defaultValue = defaultValue;
        this.restartRequired = restartRequired;
        this.validator = validator;
    }

    /** The canonical (pgpool-II 4.3) name, lower case; for indexed parameters the name without index. */
    public String name() {
        return name;
    }

    /** Other accepted names (older pgpool-II spellings), lower case. */
    public List<String> aliases() {
        return aliases;
    }

    public ValueType<T> type() {
        return type;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** True when a reload cannot apply a change: the node must be restarted. */
    public boolean restartRequired() {
        return restartRequired;
    }

    /** A problem with a well-typed value (beyond its type's own range), or empty. */
    public Optional<String> validate(T value) {
        return validator == null ? Optional.empty() : Optional.ofNullable(validator.apply(value));
    }

    /**
     * Type check and validation together: the typed value, or the problem as exception (whose
     * message names neither file nor key). {@code PGPOOL SET} validates with it as the loader does.
     */
    public T parseAndValidate(String text) throws InvalidValueException {
        T value = type.parse(text);
        Optional<String> problem = validate(value);
        if (problem.isPresent()) {
            throw new InvalidValueException(problem.get());
        }
        return value;
    }

    /** One line saying what the parameter does, for {@code SHOW pool_status} and {@code PGPOOL SHOW}. */
    public String description() {
        return Descriptions.of(name);
    }

    /**
     * A password or key: {@code SHOW pool_status} and {@code PGPOOL SHOW} print it as
     * {@code ********} (or empty when unset), never its value.
     */
    public boolean secret() {
        return name.endsWith("_password") || name.equals("wd_authkey");
    }

    /** The value as pgpool.conf would spell it. */
    public String format(Object value) {
        @SuppressWarnings("unchecked")
        T t = (T) value;
        return type.format(t);
    }

    @Override
    public String toString() {
        return name;
    }
}
