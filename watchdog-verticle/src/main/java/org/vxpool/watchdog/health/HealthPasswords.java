package org.vxpool.watchdog.health;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vxpool.common.config.ConfigPasswords;
import org.vxpool.common.config.Params;
import org.vxpool.common.config.PoolConfig;
import org.vxpool.common.config.PoolKey;
import org.vxpool.common.config.PoolPasswdFile;

/**
 * pgpool's fallback for an empty {@code health_check_password}: the health-check user's password
 * from pool_passwd. Only clear-text and AES entries can log in through a client library; for a hash or
 * verifier the password stays empty and that is logged once per user. Reads the file, so build
 * it off the event loop.
 */
public final class HealthPasswords {
    private static final Logger LOG = LoggerFactory.getLogger(HealthPasswords.class);

    private final PoolConfig config;
    private final PoolKey key;
    private final Map<String, String> byUser = new HashMap<>();

    public HealthPasswords(PoolConfig config) {
        this(config, PoolKey.fromEnvironment());
    }

    /** With {@code key} for {@code AES...} passwords in the configuration and pool_passwd. */
    public HealthPasswords(PoolConfig config, PoolKey key) {
        this.config = config;
        this.key = key;
    }

    /**
     * {@code configured} (decrypted if {@code AES...}) unless it is empty, else what pool_passwd
     * gives {@code user} (maybe "").
     */
    public String password(String user, String configured) {
        String file = config.get(Params.POOL_PASSWD);
        if (!configured.isEmpty() || user.isEmpty() || file.isEmpty()) {
            return ConfigPasswords.clear("health_check_password", configured, key);
        }
        return byUser.computeIfAbsent(user, u -> fromFile(file, u));
    }

    private String fromFile(String file, String user) {
        PoolPasswdFile.Lookup found = PoolPasswdFile.lookup(config.resolve(file), user, key);
        if (found instanceof PoolPasswdFile.Lookup.Password p) {
            return p.password();
        }
        if (found instanceof PoolPasswdFile.Lookup.Missing m) {
            LOG.info("health_check_password is empty and pool_passwd gives none: {}", m.why());
        } else {
            LOG.warn("health_check_password is empty and pool_passwd holds only a hash or verifier for"
                    + " health_check_user \"{}\", which cannot log in; health checks use no password", user);
        }
        return "";
    }
}
