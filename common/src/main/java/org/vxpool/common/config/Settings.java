package org.vxpool.common.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** The typed values a file sets, each with the entry that set it. Mutable only while building. */
final class Settings {

    record Setting(Object value, ConfigEntry entry) {
    }

    private final Map<Param<?>, Setting> globals = new LinkedHashMap<>();
    private final Map<IndexedParam<?>, SortedMap<Integer, Setting>> indexed = new LinkedHashMap<>();
    private final Map<String, String> raw = new LinkedHashMap<>();

    /** Stores a value; returns the setting it replaced, if any. */
    Optional<Setting> put(Param<?> p, Object value, ConfigEntry entry) {
        raw.put(p.name(), entry.value());
        return Optional.ofNullable(globals.put(p, new Setting(value, entry)));
    }

    Optional<Setting> put(IndexedParam<?> p, int index, Object value, ConfigEntry entry) {
        raw.put(p.key(index), entry.value());
        return Optional.ofNullable(indexed.computeIfAbsent(p, k -> new TreeMap<>())
                .put(index, new Setting(value, entry)));
    }

    Optional<Setting> setting(Param<?> p) {
        return Optional.ofNullable(globals.get(p));
    }

    boolean isSet(Param<?> p) {
        return globals.containsKey(p);
    }

    <T> T get(Param<T> p) {
        Setting s = globals.get(p);
        @SuppressWarnings("unchecked")
        T value = s == null ? p.defaultValue() : (T) s.value();
        return value;
    }

    /** The indices set for {@code p}, in order. */
    SortedMap<Integer, Setting> indices(IndexedParam<?> p) {
        return Collections.unmodifiableSortedMap(indexed.getOrDefault(p, new TreeMap<>()));
    }

    <T> Optional<T> explicit(IndexedParam<T> p, int index) {
        Setting s = indices(p).get(index);
        @SuppressWarnings("unchecked")
        T value = s == null ? null : (T) s.value();
        return Optional.ofNullable(value);
    }

    /** The per-index value, else the fallback global value, else the default. */
    <T> T get(IndexedParam<T> p, int index) {
        return explicit(p, index).orElseGet(() -> p.fallback().map(this::get).orElse(p.defaultValue()));
    }

    /** Line of the entry that set {@code p}, 0 if it was not set in the file. */
    int line(Param<?> p) {
        return setting(p).map(s -> s.entry().line()).orElse(0);
    }

    Map<String, String> raw() {
        return Collections.unmodifiableMap(raw);
    }
}
