package org.vxpool.common.config;

/**
 * One problem found in a configuration file.
 *
 * @param file the file name as given to the loader
 * @param line 1-based line of the key involved; 0 when no single line is to blame (a required
 *     key that is missing, an override given through the API)
 * @param key the parameter name as written (or the canonical name for a missing key)
 */
public record ConfigProblem(String file, int line, String key, String message) {

    /** {@code FILE:LINE: KEY: message}, or {@code FILE: KEY: message} when there is no line. */
    @Override
    public String toString() {
        return line > 0
                ? file + ":" + line + ": " + key + ": " + message
                : file + ": " + key + ": " + message;
    }
}
