package org.vxpool.common.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The value types of pgpool.conf parameters. */
public final class ValueTypes {
    private ValueTypes() {
    }

    private static final Pattern NUMBER_WITH_UNIT = Pattern.compile("([-+]?\\d+)\\s*([A-Za-z]*)");
    private static final Pattern REAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    public static final ValueType<Boolean> BOOLEAN = new ValueType<>() {
        @Override
        public Boolean parse(String text) throws InvalidValueException {
            Boolean b = parseBoolean(text);
            if (b == null) {
                throw new InvalidValueException("invalid boolean '" + text
                        + "' (use on, off, true, false, yes, no, 1 or 0)");
            }
            return b;
        }

        @Override
        public String format(Boolean value) {
            return value ? "on" : "off";
        }

        @Override
        public String description() {
            return "boolean";
        }
    };

    public static final ValueType<String> STRING = new ValueType<>() {
        @Override
        public String parse(String text) {
            return text;
        }

        @Override
        public String format(String value) {
            return value;
        }

        @Override
        public String description() {
            return "string";
        }
    };

    /** PostgreSQL's parse_bool: the words and any unambiguous prefix of them. */
    static Boolean parseBoolean(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            return null;
        }
        if (t.equals("1") || t.equals("on") || isPrefix(t, "true") || isPrefix(t, "yes")) {
            return true;
        }
        if (t.equals("0") || (t.length() >= 2 && isPrefix(t, "off")) || isPrefix(t, "false")
                || isPrefix(t, "no")) {
            return false;
        }
        return null;
    }

    private static boolean isPrefix(String t, String word) {
        return word.startsWith(t);
    }

    /** An int in {@code min..max}, optionally with a unit suffix when {@code unit} is not NONE. */
    public static ValueType<Integer> integer(int min, int max, Unit unit) {
        return new IntType(min, max, unit, "value");
    }

    /** A TCP port, 1..65535. */
    public static ValueType<Integer> port() {
        return new IntType(1, 65535, Unit.NONE, "port");
    }

    public static ValueType<Long> longInteger(long min, long max, Unit unit) {
        return new ValueType<>() {
            @Override
            public Long parse(String text) throws InvalidValueException {
                long v = parseNumber(text, unit);
                if (v < min || v > max) {
                    throw new InvalidValueException("value " + v + " out of range " + min + ".." + max);
                }
                return v;
            }

            @Override
            public String format(Long value) {
                return Long.toString(value);
            }

            @Override
            public String description() {
                return describeNumber("integer", unit);
            }

            @Override
            public Unit unit() {
                return unit;
            }
        };
    }

    public static ValueType<Double> real(double min, double max) {
        return new ValueType<>() {
            @Override
            public Double parse(String text) throws InvalidValueException {
                String t = text.trim();
                if (!REAL.matcher(t).matches()) {
                    throw new InvalidValueException("invalid number '" + text + "'");
                }
                double v = Double.parseDouble(t);
                if (v < min || v > max) {
                    throw new InvalidValueException("value " + t + " out of range " + format(min)
                            + ".." + format(max));
                }
                return v;
            }

            @Override
            public String format(Double value) {
                return value == Math.rint(value) && !Double.isInfinite(value)
                        ? Long.toString(value.longValue()) : value.toString();
            }

            @Override
            public String description() {
                return "floating point";
            }
        };
    }

    /**
     * A list split at {@code separator}, each element trimmed, empty elements dropped (so
     * {@code ''} is the empty list and a trailing separator is harmless).
     */
    public static ValueType<List<String>> list(char separator) {
        return new ValueType<>() {
            @Override
            public List<String> parse(String text) {
                List<String> out = new ArrayList<>();
                for (String part : text.split(Pattern.quote(String.valueOf(separator)))) {
                    if (!part.isBlank()) {
                        out.add(part.trim());
                    }
                }
                return List.copyOf(out);
            }

            @Override
            public String format(List<String> value) {
                return String.join(separator == ',' ? "," : separator + " ", value);
            }

            @Override
            public String description() {
                return "list separated by '" + separator + "'";
            }
        };
    }

    /** An enum whose config spelling is the lower-case constant name; matched case-insensitively. */
    public static <E extends Enum<E>> ValueType<E> enumeration(Class<E> type) {
        return new ValueType<>() {
            @Override
            public E parse(String text) throws InvalidValueException {
                String t = text.trim();
                for (E e : type.getEnumConstants()) {
                    if (configName(e).equalsIgnoreCase(t)) {
                        return e;
                    }
                }
                throw new InvalidValueException("invalid value '" + text + "' (allowed: "
                        + allowed() + ")");
            }

            @Override
            public String format(E value) {
                return configName(value);
            }

            @Override
            public String description() {
                return "enum (" + allowed().replace(", ", "|") + ")";
            }

            private String allowed() {
                return Arrays.stream(type.getEnumConstants()).map(ValueTypes::configName)
                        .collect(Collectors.joining(", "));
            }
        };
    }

    /** The spelling of an enum constant in pgpool.conf. */
    public static String configName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    static long parseNumber(String text, Unit unit) throws InvalidValueException {
        Matcher m = NUMBER_WITH_UNIT.matcher(text.trim());
        if (!m.matches()) {
            throw new InvalidValueException("invalid integer '" + text + "'");
        }
        long number;
        try {
            number = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new InvalidValueException("integer '" + text + "' too large");
        }
        if (m.group(2).isEmpty()) {
            return number;
        }
        try {
            return unit.convert(number, m.group(2));
        } catch (ArithmeticException e) {
            throw new InvalidValueException("integer '" + text + "' too large");
        }
    }

    static String describeNumber(String kind, Unit unit) {
        return switch (unit) {
            case NONE -> kind;
            case MILLISECONDS -> kind + " (milliseconds)";
            case SECONDS -> kind + " (seconds)";
            case BYTES -> kind + " (bytes)";
        };
    }

    private record IntType(int min, int max, Unit unit, String what) implements ValueType<Integer> {
        @Override
        public Integer parse(String text) throws InvalidValueException {
            long v = parseNumber(text, unit);
            if (v < min || v > max) {
                throw new InvalidValueException(what + " " + v + " out of range " + min + ".." + max);
            }
            return (int) v;
        }

        @Override
        public String format(Integer value) {
            return Integer.toString(value);
        }

        @Override
        public String description() {
            return describeNumber(what.equals("port") ? "port" : "integer", unit);
        }
    }
}
