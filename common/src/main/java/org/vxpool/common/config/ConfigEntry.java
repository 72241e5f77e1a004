package org.vxpool.common.config;

/**
 * One {@code key = value} line as written.
 *
 * @param key the key as written (case preserved, for messages)
 * @param value the value with quotes removed and escapes resolved
 * @param line 1-based line, 0 for an override given through the API
 */
record ConfigEntry(String file, int line, String key, String value) {
}
