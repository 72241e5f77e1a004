package org.vxpool.common.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pgpool.conf's {@code *_password} values read as pgpool 4.x reads them
 * ({@code get_pgpool_config_user_password}): {@code AES...} is decrypted with pgpool's key,
 * {@code TEXT...} loses its prefix, anything else is the password as written.
 */
public final class ConfigPasswords {
    /**
     * Looked up when needed, not at class load: the launcher checks the auth files before it
     * points logging at the configured logdir, and an early lookup would start logging with the
     * sample logback.xml's fallback, a vxpool.log in the working directory (FatJarIT).
     */
    private static Logger log() {
        return LoggerFactory.getLogger(ConfigPasswords.class);
    }

    /** The parameters that may hold an {@code AES...} password, per-node forms included. */
    private static final Pattern PASSWORD_PARAMS = Pattern.compile(
            "(health_check_password\\d*|sr_check_password|recovery_password|wd_lifecheck_password)");

    private ConfigPasswords() {
    }

    /**
     * The password {@code value} of parameter {@code param} stands for. When an {@code AES...}
     * value cannot be decrypted the start and reload checks ({@link #problems}) have already
     * refused it; if the key file changed since, pgpool's answer is no password, logged.
     */
    public static String clear(String param, String value, PoolKey key) {
        if (AesPasswords.isEncrypted(value)) {
            try {
                return key.decrypt(value);
            } catch (IllegalArgumentException e) {
                log().warn("{}: {}; using no password", param, e.getMessage());
                return "";
            }
        }
        return value.startsWith(PoolPasswdFile.TEXT_PREFIX) ? value.substring(PoolPasswdFile.TEXT_PREFIX.length())
                : value;
    }

    /** Every {@code AES...} password of {@code config} that {@code key} cannot decrypt. Blocking. */
    public static List<ConfigProblem> problems(PoolConfig config, PoolKey key) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (ConfigEntry e : config.entries()) {
            if (PASSWORD_PARAMS.matcher(e.key().toLowerCase(Locale.ROOT)).matches()
                    && AesPasswords.isEncrypted(e.value())) {
                try {
                    key.decrypt(e.value());
                } catch (IllegalArgumentException ex) {
                    problems.add(new ConfigProblem(e.file(), e.line(), e.key(), ex.getMessage()));
                }
            }
        }
        return problems;
    }
}
