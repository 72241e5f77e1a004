package org.vxpool.common.config;

/**
 * How the text of a parameter value becomes a typed value. Implementations live in
 * {@link ValueTypes}.
 */
public interface ValueType<T> {

    /** Parses an unquoted value; the message of the exception is the problem. */
    T parse(String text) throws InvalidValueException;

    /** The value as it would be written in pgpool.conf (without quotes), for SHOW and docs. */
    String format(T value);

    /** A short name for documentation: "boolean", "integer (seconds)", "enum (on|off)". */
    String description();

    /** The implicit unit of numeric values; {@link Unit#NONE} for the rest. */
    default Unit unit() {
        return Unit.NONE;
    }
}
