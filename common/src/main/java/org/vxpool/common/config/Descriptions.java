package org.vxpool.common.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The one-line descriptions of {@code descriptions.properties}, for {@code SHOW pool_status} and
 * {@code PGPOOL SHOW}. A resource rather than a constructor argument so that the registry's
 * declarations stay one line each.
 */
final class Descriptions {
    private static final Properties TEXTS = load();

    private Descriptions() {
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Descriptions.class.getResourceAsStream("descriptions.properties")) {
            if (in == null) {
                throw new IllegalStateException("descriptions.properties is missing from the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The text under {@code key}, or "" when there is none. */
    static String of(String key) {
        return TEXTS.getProperty(key, "").trim();
    }
}
